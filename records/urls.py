"""URLs of the top layer, in the namespaces the pages have always had.

dialogplus/urls.py adds ``patient_urlpatterns`` to the "patients" namespace
and ``audit_urlpatterns`` to the "audit" one, so links stay as they were
while the code lives above the apps it reads.
"""

from django.urls import path

from . import audit_views, request_views, views

patient_urlpatterns = [
    path("records/", request_views.RecordSearchView.as_view(), name="records"),
    path("<str:code>/", views.PatientDetailView.as_view(), name="detail"),
    path("<str:code>/export/", request_views.ExportView.as_view(), name="export"),
    path("<str:code>/export/json/", request_views.export_json, name="export_json"),
    path("<str:code>/export/pdf/", request_views.export_pdf, name="export_pdf"),
    path("<str:code>/erase/", request_views.ErasureView.as_view(), name="erase"),
]

audit_urlpatterns = [
    path(
        "patients/<str:code>/history/",
        audit_views.ChangeHistoryView.as_view(),
        name="history",
    ),
    path(
        "patients/<str:code>/who-saw/",
        audit_views.AccessReportView.as_view(),
        name="access_report",
    ),
]
