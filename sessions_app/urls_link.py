"""The patient's rating link, at the site's root so it stays short: ``/r/<token>/``."""

from django.urls import path

from .views import link

app_name = "rating_link"
urlpatterns = [
    path("<str:token>/", link.link_start, name="start"),
    path("<str:token>/done/", link.link_done, name="done"),
    path("<str:token>/<int:position>/", link.link_item, name="item"),
]
