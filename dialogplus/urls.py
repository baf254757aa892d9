from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("patients/", include("patients.urls")),
    path("sessions/", include("sessions_app.urls")),
    path("wording/", include("scale.urls")),
    path("reminders/", include("reminders.urls")),
    path("django-admin/", admin.site.urls),
]
