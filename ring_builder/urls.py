from django.urls import path

from . import designs_views, views

app_name = "ring_builder"

urlpatterns = [
    path("", views.start, name="start"),
    path("settings/", views.settings_step, name="settings"),
    path("diamonds/", views.stone_step, {"kind": "natural"}, name="stones_natural"),
    path("lab-grown-diamonds/", views.stone_step, {"kind": "lab"}, name="stones_lab"),
    path("fancy-color-diamonds/", views.stone_step, {"kind": "fancy"}, name="stones_fancy"),
    path("gemstones/", views.stone_step, {"kind": "gemstone"}, name="stones_gemstone"),
    path("choose/", views.choose, name="choose"),
    path("remove/", views.remove, name="remove"),
    path("review/", views.review, name="review"),
    path("share/", views.share, name="share"),
    path("b/<slug:token>/", views.shared, name="shared"),
    path("b/<slug:token>/use/", views.use_shared, name="use_shared"),
    path("saved/resume/", views.resume_saved, name="resume_saved"),
    path("saved/delete/", views.delete_saved, name="delete_saved"),
    path("earrings/", designs_views.design, {"piece": "earrings"}, name="earrings"),
    path("pendant/", designs_views.design, {"piece": "pendant"}, name="pendant"),
]
