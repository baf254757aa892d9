import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView, LogoutView
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.encoding import force_str
from django.utils.http import urlencode, urlsafe_base64_decode
from django.utils.translation import gettext, ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView, UpdateView, View
from django_otp import DEVICE_ID_SESSION_KEY

from dialogplus.client_address import client_address
from dialogplus.next_url import is_safe_next, safe_next

from .forms import (
    EmailAuthenticationForm,
    LanguageForm,
    PinRemoveForm,
    PinSetForm,
    ProfileForm,
    UnlockForm,
    language_options,
)
from .handback_pin import pin_remove, pin_set, pins_allowed
from .invitations import invitation_tokens
from .languages import user_language
from .lockout import locked_out_emails, lockout_reset, username_from_request
from .mixins import ClinicAdminRequiredMixin
from .models import User
from .selectors import clinic_staff, is_clinician, membership_for_user, staff_member_get_for_admin
from .session_lock import (
    session_is_locked,
    session_lock,
    session_start,
    session_unlock,
    session_unlock_failed,
)
from .signin_throttle import signin_failed, signin_succeeded, signin_wait
from .two_factor.services import (
    two_factor_entry_url,
    two_factor_pending,
    url_with_next,
)
from .two_factor.session_state import enrolment_grant


def _safe_next(request, candidate):
    """Where to go back to: ``candidate`` if it stays on this site, else the
    page the request came from, else home (the sign-in page when signed out)."""
    default = "home" if request.user.is_authenticated else settings.LOGIN_URL
    return safe_next(request, candidate, request.headers.get("referer"), default=default)


def _pause_message(seconds, *, by_address):
    if seconds > 90:
        minutes = math.ceil(seconds / 60)
        if by_address:
            return ngettext(
                "Too many wrong passwords from this network. Try again in %(count)d minute.",
                "Too many wrong passwords from this network. Try again in %(count)d minutes.",
                minutes,
            ) % {"count": minutes}
        return ngettext(
            "Signing in to this account is paused after several wrong passwords. "
            "Try again in %(count)d minute.",
            "Signing in to this account is paused after several wrong passwords. "
            "Try again in %(count)d minutes.",
            minutes,
        ) % {"count": minutes}
    if by_address:
        return ngettext(
            "Too many wrong passwords from this network. Try again in %(count)d second.",
            "Too many wrong passwords from this network. Try again in %(count)d seconds.",
            seconds,
        ) % {"count": seconds}
    return ngettext(
        "Signing in to this account is paused after several wrong passwords. "
        "Try again in %(count)d second.",
        "Signing in to this account is paused after several wrong passwords. "
        "Try again in %(count)d seconds.",
        seconds,
    ) % {"count": seconds}


class SignInView(LoginView):
    """Email and password, large fields, and a language picker for the page.

    The password is the first step: whoever must pass a second factor goes on
    to its code (or to setting it up) with ``next`` kept, and the session is
    not verified until then (accounts.two_factor.middleware sees to that).
    """

    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["language_options"] = language_options()
        return context

    def get_redirect_url(self):
        # The site's one check of a ``next`` (dialogplus.next_url), stricter
        # than LoginView's own; empty sends the person home.
        field = self.redirect_field_name
        url = self.request.POST.get(field, self.request.GET.get(field))
        return url if is_safe_next(self.request, url) else ""

    def post(self, request, *args, **kwargs):
        wait, by_address = signin_wait(
            address=client_address(request), email=username_from_request(request)
        )
        if wait:
            # Refused before the password is looked at (a bound form would
            # authenticate while validating); the email stays typed.
            form = self.get_form_class()(
                request, initial={"username": request.POST.get("username", "")}
            )
            form._errors = ErrorDict()
            form.cleaned_data = {}
            form.add_error(None, _pause_message(wait, by_address=by_address))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        signin_failed(
            address=client_address(self.request), email=username_from_request(self.request)
        )
        return super().form_invalid(form)

    def form_valid(self, form):
        signin_succeeded(email=username_from_request(self.request))
        response = super().form_valid(form)
        session_start(self.request)
        # A password alone never carries a second factor over from before.
        self.request.session.pop(DEVICE_ID_SESSION_KEY, None)
        user = self.request.user
        target = response.url
        if two_factor_pending(user):
            target = two_factor_entry_url(user, target)
        if user.language:
            return redirect(target)
        # A first sign-in: a language picked on this page becomes the person's
        # own; with none picked, they choose before anything else, even the
        # second factor (until then the clinic's default language applies).
        picked = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if picked in dict(settings.LANGUAGES):
            user.language = picked
            user.save(update_fields=["language"])
            return redirect(target)
        return redirect(url_with_next(reverse("accounts:first_language"), target))


class FirstLanguageView(LoginRequiredMixin, TemplateView):
    """Asked once, right after a first sign-in: which language should the app speak?"""

    template_name = "accounts/first_language.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        membership = membership_for_user(self.request.user)
        context["language_options"] = language_options(
            membership.clinic.country if membership else None
        )
        context["next"] = _safe_next(self.request, self.request.GET.get("next"))
        return context


@require_POST
def language_set(request):
    """Switch the interface language, then go back where the person was.

    The choice goes in the language cookie, which LocaleMiddleware reads for
    anyone signed out; a signed-in person's choice is also kept on their
    account, because UserLanguageMiddleware prefers it on every device.
    """
    form = LanguageForm(request.POST)
    target = _safe_next(request, request.POST.get("next"))
    if not form.is_valid():
        messages.error(request, gettext("Choose one of the languages shown."))
        return redirect(target)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


class ProfileView(LoginRequiredMixin, UpdateView):
    """A signed-in person edits their name and interface language."""

    form_class = ProfileForm
    template_name = "accounts/profile.html"
    success_url = reverse_lazy("accounts:profile")

    def get_object(self, queryset=None):
        # A fresh copy: a rejected form must not change the name in the page header.
        return User.objects.get(pk=self.request.user.pk)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        membership = membership_for_user(self.request.user)
        kwargs["clinic"] = membership.clinic if membership else None
        return kwargs

    def form_valid(self, form):
        response = super().form_valid(form)
        language = user_language(self.object, fallback=translation.get_language)
        # Confirm in the language just chosen: that is what the next page speaks.
        with translation.override(language):
            messages.success(self.request, gettext("Your profile is saved."))
        return response


@method_decorator(sensitive_post_parameters("pin", "pin_again", "password"), name="dispatch")
class HandbackPinView(LoginRequiredMixin, View):
    """A clinician sets, changes or removes the PIN that takes a handed-over
    tablet back (accounts.handback_pin). Every change asks for the password.

    Only clinicians hand a tablet over, so anyone else gets a 404; when the
    clinic has switched PINs off the page says so and changes nothing.
    """

    template_name = "accounts/handback_pin.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_clinician(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _render(self, set_form=None, remove_form=None):
        user = self.request.user
        clinic = membership_for_user(user).clinic
        context = {
            "allowed": pins_allowed(clinic),
            "has_pin": bool(user.handback_pin),
            "set_form": set_form or PinSetForm(user=user),
            "remove_form": remove_form or PinRemoveForm(user=user),
        }
        return render(self.request, self.template_name, context)

    def get(self, request):
        return self._render()

    def post(self, request):
        user = request.user
        if not pins_allowed(membership_for_user(user).clinic):
            return self._render()
        if "remove" in request.POST:
            form = PinRemoveForm(data=request.POST, user=user)
            if not form.is_valid():
                return self._render(remove_form=form)
            pin_remove(user=user)
            messages.success(request, gettext("Your PIN is removed."))
            return redirect("accounts:profile")
        form = PinSetForm(data=request.POST, user=user)
        if not form.is_valid():
            return self._render(set_form=form)
        pin_set(user=user, pin=form.cleaned_data["pin"])
        messages.success(request, gettext("Your PIN is saved. It takes a handed-over tablet back."))
        return redirect("accounts:profile")


class ClinicOverviewView(ClinicAdminRequiredMixin, TemplateView):
    """A clinic admin's read-only view of their clinic: settings and staff.

    It shows no patient data: admins manage the clinic, not care.
    """

    template_name = "accounts/clinic.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clinic = membership_for_user(self.request.user).clinic
        context["clinic"] = clinic
        context["default_language_name"] = dict(settings.LANGUAGES).get(
            clinic.default_language, clinic.default_language
        )
        staff = clinic_staff(clinic)
        context["staff"] = staff
        context["locked_out"] = locked_out_emails(member.user.email for member in staff)
        return context


class UnlockUserView(ClinicAdminRequiredMixin, View):
    """A clinic admin lets a locked-out member of their own clinic sign in again.

    Anyone outside the admin's clinic is a 404, like a user that does not exist.
    """

    def post(self, request, pk):
        user = staff_member_get_for_admin(request.user, pk).user
        lockout_reset(user=user)
        messages.success(
            request,
            gettext("%(name)s can sign in again.") % {"name": str(user)},
        )
        # Back to the page the button was on (the overview or a member's page).
        return redirect(safe_next(request, request.POST.get("next"), default="accounts:clinic"))


class SignOutView(LogoutView):
    """Sign out, and ask the browser to forget what it kept of this site.

    ``Clear-Site-Data`` names "cache" and "storage" but not "cookies": clearing
    cookies would also drop the CSRF cookie, and the sign-in page the person
    lands on next would then refuse its own form. The session cookie is ended
    by the sign-out itself.
    """

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response


@require_POST
@login_required
def lock_now(request):
    """The header's "Lock" button: the tablet asks for the password from now on."""
    session_lock(request)
    target = reverse("accounts:lock")
    next_url = safe_next(request, request.POST.get("next"))
    return redirect(f"{target}?{urlencode({'next': next_url})}")


@login_required
def lock_screen(request):
    """The locked tablet: the person's name, a password field and "Switch user".

    The right password returns to ``next``; five wrong ones sign out.
    """
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if not session_is_locked(request):
        return redirect(next_url)
    form = UnlockForm(user=request.user, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            session_unlock(request)
            return redirect(next_url)
        if session_unlock_failed(request):
            logout(request)
            messages.error(request, gettext("Too many wrong passwords. Please sign in again."))
            response = redirect("accounts:login")
            response["Clear-Site-Data"] = '"cache", "storage"'
            return response
    return render(request, "accounts/lock.html", {"form": form, "next": next_url})


INVITATION_SESSION_KEY = "_invitation"


class InvitationAcceptView(View):
    """Choose a password from an invitation link, and be signed in.

    The link's token goes into the session and the browser is sent on to a
    URL without it (as Django's password reset does), so the token does not
    stay in the address bar or history of a shared tablet.
    """

    template_name = "accounts/invitation_accept.html"
    invalid_template_name = "accounts/invitation_invalid.html"
    placeholder = "set-password"

    def dispatch(self, request, uidb64, token):
        # Whoever is signed in on this tablet is signed out first: the
        # invitation is for someone else.
        if request.user.is_authenticated:
            logout(request)
        self.invitee = self._invitee(uidb64)
        if token != self.placeholder:
            if self.invitee is not None and invitation_tokens.check_token(self.invitee, token):
                request.session[INVITATION_SESSION_KEY] = token
                return redirect(request.path.replace(token, self.placeholder))
            return render(request, self.invalid_template_name, status=404)
        stored = request.session.get(INVITATION_SESSION_KEY)
        if self.invitee is None or not invitation_tokens.check_token(self.invitee, stored):
            return render(request, self.invalid_template_name, status=404)
        return super().dispatch(request, uidb64, token)

    @staticmethod
    def _invitee(uidb64):
        try:
            pk = int(force_str(urlsafe_base64_decode(uidb64)))
        except (TypeError, ValueError, OverflowError):
            return None
        return User.objects.filter(pk=pk).first()

    def _activate_language(self):
        # The invitation email spoke the invitee's language, or their clinic's.
        language = user_language(self.invitee, fallback=translation.get_language)
        translation.activate(language)
        self.request.LANGUAGE_CODE = language

    def get(self, request, uidb64, token):
        self._activate_language()
        form = SetPasswordForm(self.invitee)
        return render(request, self.template_name, {"form": form, "invitee": self.invitee})

    def post(self, request, uidb64, token):
        self._activate_language()
        form = SetPasswordForm(self.invitee, request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form, "invitee": self.invitee})
        user = form.save()
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        del request.session[INVITATION_SESSION_KEY]
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        session_start(request)
        # The link from their email, not just a password: this browser may set
        # up the second factor (a password alone could not).
        enrolment_grant(request, user)
        messages.success(request, gettext("Your password is set. Welcome to DIALOG+."))
        return redirect("home")
