from django.urls import path

from . import views

app_name = "patients"
urlpatterns = [
    path("", views.PatientListView.as_view(), name="list"),
    path("new/", views.PatientCreateView.as_view(), name="create"),
    path("<str:code>/", views.PatientDetailView.as_view(), name="detail"),
    path("<str:code>/edit/", views.PatientUpdateView.as_view(), name="edit"),
]
