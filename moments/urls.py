from django.urls import path

from . import views

app_name = "moments"

urlpatterns = [
    path("", views.gallery, name="gallery"),
    path("share/", views.share, name="share"),
    path("share/thanks/", views.thanks, name="thanks"),
    path("<int:pk>/", views.detail, name="detail"),
    path("photo/<str:token>/<str:variant>", views.photo, name="photo"),
]
