from django.contrib import admin
from django.urls import include, path

from accounts import urls as account_urls
from audit import urls as audit_urls
from patients import urls as patient_urls
from records import urls as record_urls
from staff import urls as staff_urls

from . import views


def _namespace(app_urls, *more):
    """An app's URL namespace with the top layer's pages added to it."""
    return include(([*app_urls.urlpatterns, *more], app_urls.app_name))


urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("privacy/", views.privacy, name="privacy"),
    path("accounts/", _namespace(account_urls, path("clinic/", include(staff_urls)))),
    path("patients/", _namespace(patient_urls, *record_urls.patient_urlpatterns)),
    path("sessions/", include("sessions_app.urls")),
    path("wording/", include("scale.urls")),
    path("reminders/", include("reminders.urls")),
    # The opt-out link in reminders: short, because it goes in an SMS.
    path("s/", include("reminders.urls_public")),
    # The patient's rating link: short too, it goes in an SMS and a QR code.
    path("r/", include("sessions_app.urls_link")),
    path("audit/", _namespace(audit_urls, *record_urls.audit_urlpatterns)),
    path("django-admin/", admin.site.urls),
]
