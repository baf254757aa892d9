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
    # The patient's rating link: short too, it goes in an SMS and a QR code.
    path("r/", include("sessions_app.urls_link")),
    path("audit/", include("audit.urls")),
    path("django-admin/", admin.site.urls),
]
