from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/", include("accounts.urls")),
    path("patients/", include("patients.urls")),
    path("sessions/", include("sessions_app.urls")),
    path("wording/", include("scale.urls")),
    path("reminders/", include("reminders.urls")),
    # The opt-out link in reminders: short, because it goes in an SMS.
    path("s/", include("reminders.urls_public")),
    path("audit/", include("audit.urls")),
    path("django-admin/", admin.site.urls),
]
