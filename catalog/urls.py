from django.urls import path

from .views import browse, detail, lists, site_search

app_name = "catalog"

urlpatterns = [
    # Diamonds: natural (optionally by shape), lab-grown, fancy colour.
    path("loose-diamonds/", browse.diamond_search_view, {"kind": "natural"}, name="diamonds"),
    path("loose-diamonds/item/<str:sku>/", detail.diamond_detail, name="diamond_detail"),
    path("loose-diamonds/<slug:shape>/", browse.diamond_search_view, {"kind": "natural"}, name="diamonds_by_shape"),
    path("lab-grown-diamonds/", browse.diamond_search_view, {"kind": "lab"}, name="lab_diamonds"),
    path("lab-grown-diamonds/<slug:shape>/", browse.diamond_search_view, {"kind": "lab"}, name="lab_diamonds_by_shape"),
    path("fancy-color-diamonds/", browse.diamond_search_view, {"kind": "fancy"}, name="fancy_diamonds"),
    path("gemstones/", browse.gemstone_search_view, name="gemstones"),
    path("gemstones/item/<str:sku>/", detail.gemstone_detail, name="gemstone_detail"),
    path("engagement-rings/", browse.setting_browse_view, name="settings"),
    path("engagement-rings/item/<slug:slug>/", detail.setting_detail, name="setting_detail"),
    path("engagement-rings/<slug:style>/", browse.setting_browse_view, name="settings_by_style"),
    path("jewelry/", browse.jewelry_browse_view, name="jewelry"),
    path("jewelry/<slug:category>/", browse.jewelry_browse_view, name="jewelry_by_category"),
    path("jewelry/<slug:category>/<slug:slug>/", detail.jewelry_detail, name="jewelry_detail"),
    path("search/", site_search.site_search_view, name="site_search"),
    path("wish-list/", lists.wish_list_view, name="wish_list"),
    path("wish-list/toggle/", lists.wish_list_toggle, name="wish_list_toggle"),
    path("compare/", lists.compare_view, name="compare"),
    path("compare/toggle/", lists.compare_toggle, name="compare_toggle"),
]
