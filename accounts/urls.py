from django.urls import include, path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    # Django's LogoutView answers POST only: a link or a prefetch cannot sign anyone out.
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("language/", views.language_set, name="language"),
    path("language/first/", views.FirstLanguageView.as_view(), name="first_language"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/pin/", views.HandbackPinView.as_view(), name="handback_pin"),
    path("clinic/", views.ClinicOverviewView.as_view(), name="clinic"),
    # Staff management and clinic settings (accounts:staff_...) live in the
    # staff app; dialogplus/urls.py adds them to this namespace under clinic/.
    path(
        "clinic/staff/<int:pk>/unlock/",
        views.UnlockUserView.as_view(),
        name="unlock_user",
    ),
    path(
        "invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    path("lock/", views.lock_screen, name="lock"),
    path("lock/now/", views.lock_now, name="lock_now"),
    # Two-step sign-in and password reset (names stay in this namespace).
    path("", include("accounts.two_factor.urls")),
]
