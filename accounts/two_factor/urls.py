"""Included into accounts/urls.py, so every name is in the ``accounts:`` namespace."""

from django.urls import path

from . import password_reset, views

urlpatterns = [
    # Signing in: the code, setting up an app, new backup codes shown once.
    path("two-factor/", views.VerifyView.as_view(), name="two_factor_verify"),
    path("two-factor/setup/", views.SetupView.as_view(), name="two_factor_setup"),
    path(
        "two-factor/setup/code/",
        views.EnrolmentCodeView.as_view(),
        name="two_factor_enrolment_code",
    ),
    path(
        "two-factor/backup-codes/",
        views.BackupCodesView.as_view(),
        name="two_factor_backup_codes",
    ),
    # The person's own settings.
    path("profile/two-factor/", views.TwoFactorView.as_view(), name="two_factor"),
    path(
        "profile/two-factor/new-backup-codes/",
        views.NewBackupCodesView.as_view(),
        name="two_factor_new_codes",
    ),
    path(
        "profile/two-factor/replace/",
        views.ReplaceAppView.as_view(),
        name="two_factor_replace",
    ),
    path("profile/two-factor/turn-off/", views.TurnOffView.as_view(), name="two_factor_turn_off"),
    # A clinic admin's reset of a staff member's second factor, and set-up codes.
    path(
        "clinic/staff/<int:pk>/two-factor-reset/",
        views.StaffTwoFactorResetView.as_view(),
        name="staff_two_factor_reset",
    ),
    path(
        "clinic/staff/<int:pk>/two-factor-code/",
        views.StaffEnrolmentCodeView.as_view(),
        name="staff_two_factor_code",
    ),
    # A forgotten password.
    path("password/reset/", password_reset.ResetRequestView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/", password_reset.ResetSentView.as_view(), name="password_reset_done"
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        password_reset.ResetChooseView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        password_reset.ResetDoneView.as_view(),
        name="password_reset_complete",
    ),
]
