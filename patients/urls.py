from django.urls import path

from . import carer_views, record_views, views

app_name = "patients"
urlpatterns = [
    path("", views.PatientListView.as_view(), name="list"),
    path("new/", views.PatientCreateView.as_view(), name="create"),
    path("records/", record_views.RecordSearchView.as_view(), name="records"),
    path("<str:code>/", views.PatientDetailView.as_view(), name="detail"),
    path("<str:code>/edit/", views.PatientUpdateView.as_view(), name="edit"),
    path("<str:code>/export/", record_views.ExportView.as_view(), name="export"),
    path("<str:code>/export/json/", record_views.export_json, name="export_json"),
    path("<str:code>/export/pdf/", record_views.export_pdf, name="export_pdf"),
    path("<str:code>/erase/", record_views.ErasureView.as_view(), name="erase"),
    path("<str:code>/carers/new/", carer_views.CarerCreateView.as_view(), name="carer_add"),
    path(
        "<str:code>/carers/<int:carer_id>/edit/",
        carer_views.CarerUpdateView.as_view(),
        name="carer_edit",
    ),
    path(
        "<str:code>/carers/<int:carer_id>/invite/",
        carer_views.CarerInviteView.as_view(),
        name="carer_invite",
    ),
    path(
        "<str:code>/carers/<int:carer_id>/withdraw/",
        carer_views.CarerWithdrawView.as_view(),
        name="carer_withdraw",
    ),
    path(
        "<str:code>/carers/<int:carer_id>/history/",
        carer_views.CarerHistoryView.as_view(),
        name="carer_history",
    ),
]
