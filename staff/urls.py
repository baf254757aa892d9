"""Staff management, added by dialogplus/urls.py under ``accounts/clinic/``: the
names join the ``accounts`` namespace (``accounts:staff_list``, ...). ``pk`` is
always a user's id, as for ``accounts:unlock_user``."""

from django.urls import path

from . import views

urlpatterns = [
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/invite/", views.StaffInviteView.as_view(), name="staff_invite"),
    path("staff/reassign/", views.ReassignStartView.as_view(), name="staff_reassign"),
    path(
        "staff/reassign/<int:pk>/",
        views.ReassignView.as_view(),
        name="staff_reassign_patients",
    ),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
    path("staff/<int:pk>/edit/", views.StaffEditView.as_view(), name="staff_edit"),
    path(
        "staff/<int:pk>/deactivate/",
        views.StaffDeactivateView.as_view(),
        name="staff_deactivate",
    ),
    path(
        "staff/<int:pk>/reactivate/",
        views.StaffReactivateView.as_view(),
        name="staff_reactivate",
    ),
    path(
        "staff/<int:pk>/invitation/",
        views.StaffResendView.as_view(),
        name="staff_resend_invitation",
    ),
    path("settings/", views.ClinicSettingsView.as_view(), name="staff_clinic_settings"),
]
