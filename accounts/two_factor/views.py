"""Pages of two-step sign-in: the code, setting up an app, backup codes, the
person's own settings and a clinic admin's reset of a staff member's factor."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.mixins import ClinicAdminRequiredMixin
from accounts.models import User
from accounts.selectors import membership_for_user, user_has_two_factor
from dialogplus.next_url import safe_next

from . import services, session_state
from .forms import CodeForm, EnrolmentCodeForm
from .qr import qr_svg, secret_groups

# Backup codes left at which the person is told to make new ones.
FEW_CODES = 3


def next_url(request, default="home"):
    """Where to go once done: ``next`` if it stays on this site, else ``default``."""
    return safe_next(request, request.POST.get("next") or request.GET.get("next"), default=default)


class CodeFormMixin:
    """A FormView whose form is a ``CodeForm`` for the signed-in person."""

    form_class = CodeForm
    pending = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["pending"] = self.pending
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.next
        # Half signed in: the header offers signing out, nothing else.
        context["signing_in"] = services.two_factor_pending(self.request.user)
        return context


# --- signing in ------------------------------------------------------------------------


class VerifyView(LoginRequiredMixin, CodeFormMixin, FormView):
    """After the password: the code from the app, or one of the backup codes."""

    template_name = "accounts/two_factor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.next = next_url(request)
        if services.session_is_verified(request.user):
            return redirect(self.next)
        if not user_has_two_factor(request.user):
            if services.two_factor_required(request.user):
                return redirect(services.two_factor_entry_url(request.user, self.next))
            return redirect(self.next)
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        check = form.check
        session_state.session_verify(self.request, check.device)
        if check.backup:
            left = services.backup_codes_remaining(self.request.user)
            text = ngettext(
                "You used a backup code. %(count)d is left.",
                "You used a backup code. %(count)d are left.",
                left,
            ) % {"count": left}
            if left < FEW_CODES:
                text = " ".join([text, gettext("Make new ones in your profile.")])
                messages.warning(self.request, text)
            else:
                messages.info(self.request, text)
        return redirect(self.next)


class SetupView(LoginRequiredMixin, CodeFormMixin, FormView):
    """Set up an authenticator app: scan the QR code (or type the secret), then a code.

    Reached when two-step sign-in is owed and not set up, when a person turns
    it on for themselves, or to replace the app after giving a current code.
    A password alone must never add an app: whoever has one set up must have
    just given its code, and a sign-in that owes its first app needs an
    enrolment grant (else it is asked for a set-up code).
    """

    template_name = "accounts/two_factor/setup.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        self.replacing = user_has_two_factor(user)
        self.next = next_url(request, "accounts:two_factor" if self.replacing else "home")
        if self.replacing:
            if not services.session_is_verified(user):
                return redirect(services.two_factor_entry_url(user, self.next))
            if not session_state.replace_allowed(request):
                return redirect("accounts:two_factor")
        elif not session_state.enrolment_allowed(request):
            return redirect(
                services.url_with_next(reverse("accounts:two_factor_enrolment_code"), self.next)
            )
        self.pending = services.authenticator_pending(user=user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "replacing": self.replacing,
                "required": services.two_factor_required(self.request.user),
                "qr_code": qr_svg(
                    self.pending.config_url,
                    title=gettext("QR code to scan with your authenticator app"),
                ),
                "secret_groups": secret_groups(self.pending),
                "account": self.request.user.get_username(),
            }
        )
        return context

    def form_valid(self, form):
        request = self.request
        device = form.check.device
        codes = services.authenticator_confirm(user=request.user, device=device)
        session_state.session_verify(request, device)
        request.session.pop(services.REPLACE_UNTIL_SESSION_KEY, None)
        request.session.pop(services.ENROLMENT_GRANT_SESSION_KEY, None)
        if codes:
            session_state.new_codes_keep(request, codes)
            return redirect(
                services.url_with_next(reverse("accounts:two_factor_backup_codes"), self.next)
            )
        messages.success(request, gettext("Your new authenticator app is set up."))
        return redirect(self.next)


class EnrolmentCodeView(LoginRequiredMixin, FormView):
    """Setting up a first app after the password alone: the clinic admin's set-up code.

    Reached from the set-up page by a sign-in that owes its second factor and
    has no enrolment grant (the invitation or reset link was opened in another
    browser, or more than an hour ago). Nothing is owed, or the grant is there:
    on to where the person was going.
    """

    template_name = "accounts/two_factor/enrolment_code.html"
    form_class = EnrolmentCodeForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.next = next_url(request)
        if not services.enrolment_owed(request.user):
            return redirect(self.next)
        if session_state.enrolment_granted(request):
            return redirect(self.setup_url())
        return super().dispatch(request, *args, **kwargs)

    def setup_url(self):
        return services.url_with_next(reverse("accounts:two_factor_setup"), self.next)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.next
        context["signing_in"] = True
        return context

    def form_valid(self, form):
        user = self.request.user
        if not services.enrolment_code_use(user=user, code=form.cleaned_data["code"]):
            form.refuse()
            return self.form_invalid(form)
        session_state.enrolment_grant(self.request, user)
        return redirect(self.setup_url())


class BackupCodesView(LoginRequiredMixin, View):
    """New backup codes, shown once: print or write them down, then carry on."""

    template_name = "accounts/two_factor/backup_codes.html"

    def get(self, request):
        codes = request.session.get(services.NEW_CODES_SESSION_KEY)
        if not codes:
            return redirect("accounts:two_factor")
        context = {
            "codes": [services.format_backup_code(code) for code in codes],
            "next": next_url(request),
            "signing_in": services.two_factor_pending(request.user),
        }
        return render(request, self.template_name, context)

    def post(self, request):
        request.session.pop(services.NEW_CODES_SESSION_KEY, None)
        return redirect(next_url(request))


# --- the person's own settings ---------------------------------------------------------


class TwoFactorView(LoginRequiredMixin, TemplateView):
    """Whether two-step sign-in is on, the backup codes left, and what can be changed."""

    template_name = "accounts/two_factor/manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            {
                "enabled": user_has_two_factor(user),
                "required": services.two_factor_required(user),
                "codes_left": services.backup_codes_remaining(user),
                "few_codes": FEW_CODES,
            }
        )
        return context


class CodeConfirmedView(LoginRequiredMixin, CodeFormMixin, FormView):
    """A change to two-step sign-in that needs a current code first.

    Without two-step sign-in on there is nothing to change: back to its page.
    """

    template_name = "accounts/two_factor/confirm_code.html"
    title = ""
    explanation = ""
    button = ""
    danger = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.next = reverse("accounts:two_factor")
        if not user_has_two_factor(request.user):
            return redirect(self.next)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "title": self.title,
                "explanation": self.explanation,
                "button": self.button,
                "danger": self.danger,
            }
        )
        return context


class NewBackupCodesView(CodeConfirmedView):
    title = _("New backup codes")
    explanation = _(
        "You get 10 new backup codes, and the ones you have now stop working. "
        "Type a code from your app (or a backup code) to go on."
    )
    button = _("Make new backup codes")

    def form_valid(self, form):
        codes = services.backup_codes_generate(user=self.request.user)
        session_state.new_codes_keep(self.request, codes)
        return redirect(
            services.url_with_next(reverse("accounts:two_factor_backup_codes"), self.next)
        )


class ReplaceAppView(CodeConfirmedView):
    title = _("Replace your authenticator app")
    explanation = _(
        "For a new phone or app. Type a code from your current app (or a backup code); "
        "then scan a new QR code. The old app stops working once the new one is set up."
    )
    button = _("Go on")

    def form_valid(self, form):
        session_state.replace_allow(self.request)
        return redirect(services.url_with_next(reverse("accounts:two_factor_setup"), self.next))


class TurnOffView(CodeConfirmedView):
    """Only for people who need not use two-step sign-in."""

    title = _("Turn off two-step sign-in")
    explanation = _(
        "Signing in will ask for your password only, and your backup codes stop working. "
        "Type a code from your app (or a backup code) to turn it off."
    )
    button = _("Turn off")
    danger = True

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and services.two_factor_required(request.user):
            messages.info(
                request, gettext("Your role needs two-step sign-in, so it cannot be turned off.")
            )
            return redirect("accounts:two_factor")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        services.two_factor_remove(user=self.request.user)
        self.request.session.pop(DEVICE_ID_SESSION_KEY, None)
        messages.success(self.request, gettext("Two-step sign-in is off."))
        return redirect(self.next)


# --- a clinic admin's reset and set-up codes --------------------------------------------


class StaffMemberMixin(ClinicAdminRequiredMixin):
    """A page about a member of the admin's own clinic, never the admin themselves
    (their own factor is changed in their profile, with a code); anyone else is a
    404, like a user that does not exist. GET shows what a POST would do."""

    def get_member(self):
        clinic = membership_for_user(self.request.user).clinic
        users = User.objects.filter(memberships__clinic=clinic).exclude(pk=self.request.user.pk)
        return get_object_or_404(users.distinct(), pk=self.kwargs["pk"])

    def get(self, request, pk):
        member = self.get_member()
        context = {
            "member": member,
            "enabled": user_has_two_factor(member),
            "next": next_url(request, "accounts:clinic"),
        }
        return render(request, self.template_name, context)

    def show_code(self, member, code, *, reset):
        """The set-up code, shown this once: the admin hands it over in person."""
        context = {
            "member": member,
            "code": services.format_backup_code(code),
            "hours": int(services.ENROLMENT_CODE_LIFETIME.total_seconds() // 3600),
            "reset": reset,
            "next": next_url(self.request, "accounts:clinic"),
        }
        return render(self.request, "accounts/two_factor/staff_code_made.html", context)


class StaffTwoFactorResetView(StaffMemberMixin, View):
    """A clinic admin clears a staff member's second factor (a lost phone).

    POST resets and shows the set-up code that lets the member set up a new
    app after their password.
    """

    template_name = "accounts/two_factor/staff_reset.html"

    def post(self, request, pk):
        member = self.get_member()
        code = services.two_factor_reset(user=member, reset_by=request.user)
        return self.show_code(member, code, reset=True)


class StaffEnrolmentCodeView(StaffMemberMixin, View):
    """A set-up code for a member without an app (a new member whose invitation
    session ran out, say). A new code replaces any earlier one. Someone with an
    app set up needs a reset first, which makes the code itself."""

    template_name = "accounts/two_factor/staff_code.html"

    def post(self, request, pk):
        member = self.get_member()
        if user_has_two_factor(member):
            return redirect(
                services.url_with_next(
                    reverse("accounts:staff_two_factor_code", args=[member.pk]),
                    next_url(request, "accounts:clinic"),
                )
            )
        code = services.enrolment_code_create(user=member, created_by=request.user)
        return self.show_code(member, code, reset=False)
