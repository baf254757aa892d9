from django.urls import path

from . import carer_views, views

# The "patients" URL namespace also holds the pages of the whole record
# (records/urls.py); dialogplus/urls.py puts the two lists together.
app_name = "patients"
urlpatterns = [
    path("", views.PatientListView.as_view(), name="list"),
    path("new/", views.PatientCreateView.as_view(), name="create"),
    path("<str:code>/edit/", views.PatientUpdateView.as_view(), name="edit"),
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
