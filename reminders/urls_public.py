"""The opt-out link, at the site's root so it stays short in an SMS: ``/s/<token>``."""

from django.urls import path

from . import views

app_name = "optout"
urlpatterns = [
    path("<str:token>", views.OptOutView.as_view(), name="stop"),
]
