"""Clinic admins manage their own clinic. Thin views: the selectors in
accounts/selectors.py decide what an admin may see (404 outside their clinic),
services.py makes the changes and keeps the rules."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.views import View
from django.views.generic import FormView, TemplateView, UpdateView

from accounts import selectors
from accounts.languages import user_language
from accounts.lockout import locked_out_emails
from accounts.mixins import ClinicAdminRequiredMixin
from accounts.models import Clinic, Membership
from patients import selectors as patient_selectors
from patients.selectors import clinicians_for_clinic

from . import services
from .forms import ClinicSettingsForm, InviteForm, MembershipForm, ReassignForm

STATUS_FILTERS = ("active", "inactive", "all")


def _error_text(exc):
    return " ".join(exc.messages)


class ClinicAdminView(ClinicAdminRequiredMixin):
    """A page of the signed-in admin's own clinic."""

    @cached_property
    def clinic(self):
        return selectors.membership_for_user(self.request.user).clinic


class MemberView(ClinicAdminView):
    """A page about one member (``pk`` is their user id) of the admin's clinic."""

    @cached_property
    def member(self):
        return selectors.staff_member_get_for_admin(self.request.user, self.kwargs["pk"])

    def detail(self):
        return redirect("accounts:staff_detail", pk=self.member.user_id)


class StaffListView(ClinicAdminView, TemplateView):
    """Everyone in the clinic, with what an admin needs to see at a glance."""

    template_name = "accounts/staff/list.html"

    def status(self):
        status = self.request.GET.get("status", "")
        return status if status in STATUS_FILTERS else "active"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.status()
        members = list(
            selectors.staff_for_clinic(self.clinic, status="" if status == "all" else status)
        )
        users = [member.user for member in members]
        locked = locked_out_emails(user.email for user in users)
        two_factor = selectors.users_with_two_factor(user.pk for user in users)
        counts = selectors.staff_counts(self.clinic)
        context.update(
            clinic=self.clinic,
            status=status,
            filters=[
                ("active", gettext("Active"), counts["active"]),
                ("inactive", gettext("Inactive"), counts["inactive"]),
                ("all", gettext("All"), counts["all"]),
            ],
            rows=[
                {
                    "member": member,
                    "user": member.user,
                    "active": member.is_active and member.user.is_active,
                    "pending": selectors.invitation_is_pending(member.user),
                    "locked": member.user.email in locked,
                    "two_factor": member.user.pk in two_factor,
                }
                for member in members
            ],
        )
        return context


class StaffDetailView(MemberView, TemplateView):
    """One member: their state, what the admin can do, and the membership's history."""

    template_name = "accounts/staff/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.member
        user = member.user
        context.update(
            member=member,
            person=user,
            active=member.is_active and user.is_active,
            pending=selectors.invitation_is_pending(user),
            locked=bool(locked_out_emails([user.email])),
            two_factor=selectors.user_has_two_factor(user),
            patient_count=patient_selectors.key_patients_count(self.clinic, user),
            changes=selectors.membership_changes(member),
            is_self=user.pk == self.request.user.pk,
        )
        return context


class StaffInviteView(ClinicAdminView, FormView):
    """Invite a clinician or admin by an emailed link (they choose their own password)."""

    template_name = "accounts/staff/invite.html"
    form_class = InviteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "clinic": self.clinic}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["days"] = settings.DIALOGPLUS_INVITATION_DAYS
        return context

    def form_valid(self, form):
        try:
            outcome = services.staff_invite(
                clinic=self.clinic,
                invited_by=self.request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        email = form.cleaned_data["email"]
        if outcome is services.InviteOutcome.RESENT:
            text = gettext("A new invitation was sent to %(email)s.")
        else:
            text = gettext("An invitation was sent to %(email)s.")
        messages.success(self.request, text % {"email": email})
        return redirect("accounts:staff_list")


class StaffEditView(MemberView, FormView):
    """Change a member's role and profession."""

    template_name = "accounts/staff/edit.html"
    form_class = MembershipForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.member}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(member=self.member, person=self.member.user)
        return context

    def form_valid(self, form):
        try:
            services.membership_change(
                membership=self.member,
                role=form.cleaned_data["role"],
                profession=form.cleaned_data["profession"],
                by=self.request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("The role and profession of %(name)s are saved.")
            % {"name": str(self.member.user)},
        )
        if self.member.user_id == self.request.user.pk and (
            form.cleaned_data["role"] != Membership.Role.ADMIN
        ):
            # No longer an admin: the staff pages are not theirs any more.
            return redirect("home")
        return self.detail()


class StaffDeactivateView(MemberView, TemplateView):
    """Ask before switching a member off, then do it."""

    template_name = "accounts/staff/deactivate.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            member=self.member,
            person=self.member.user,
            is_self=self.member.user_id == self.request.user.pk,
            patient_count=patient_selectors.key_patients_count(self.clinic, self.member.user),
        )
        return context

    def post(self, request, pk):
        try:
            services.membership_deactivate(membership=self.member, by=request.user)
        except ValidationError as exc:
            context = self.get_context_data(error=_error_text(exc))
            return self.render_to_response(context)
        messages.success(
            request,
            gettext("%(name)s is deactivated and signed out on every device.")
            % {"name": str(self.member.user)},
        )
        return self.detail()


class StaffReactivateView(MemberView, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        member = self.member
        pending = selectors.invitation_is_pending(member.user)
        services.membership_reactivate(membership=member, by=request.user)
        text = gettext("%(name)s is active again.") % {"name": str(member.user)}
        if pending:
            text += " " + gettext("Send a new invitation: the earlier link no longer works.")
        messages.success(request, text)
        return self.detail()


class StaffResendView(MemberView, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            services.staff_invitation_resend(membership=self.member, by=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request,
                gettext("A new invitation was sent to %(email)s.")
                % {"email": self.member.user.email},
            )
        return self.detail()


class ReassignStartView(ClinicAdminView, TemplateView):
    """Whose patients should move? Every clinician of the clinic, active or not."""

    template_name = "accounts/staff/reassign_start.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sources"] = patient_selectors.reassign_sources(self.clinic)
        return context


class ReassignView(ClinicAdminView, FormView):
    """Move one clinician's patients, all or some, to an active colleague."""

    template_name = "accounts/staff/reassign.html"
    form_class = ReassignForm

    @cached_property
    def source(self):
        return patient_selectors.reassign_source_get_for_admin(self.request.user, self.kwargs["pk"])

    @cached_property
    def patients(self):
        return patient_selectors.key_patients_of(self.clinic, self.source)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "patients": self.patients,
            "to_choices": clinicians_for_clinic(self.clinic).exclude(pk=self.source.pk),
            "count": self.source.patient_count,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            source=self.source,
            patient_count=self.source.patient_count,
            has_targets=context["form"].fields["to_clinician"].queryset.exists(),
        )
        return context

    def form_valid(self, form):
        to_user = form.cleaned_data["to_clinician"]
        try:
            moved = services.patients_reassign(
                clinic=self.clinic,
                from_user=self.source,
                to_user=to_user,
                by=self.request.user,
                codes=form.codes(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        names = {"count": moved, "source": str(self.source), "target": str(to_user)}
        if moved:
            messages.success(
                self.request,
                ngettext(
                    "%(count)s patient moved from %(source)s to %(target)s.",
                    "%(count)s patients moved from %(source)s to %(target)s.",
                    moved,
                )
                % names,
            )
        else:
            messages.warning(
                self.request,
                gettext("No patient was moved: they may have been reassigned already."),
            )
        return redirect("accounts:staff_reassign_patients", pk=self.source.pk)


class ClinicSettingsView(ClinicAdminView, UpdateView):
    """The clinic's name, clock, language and plan defaults."""

    template_name = "accounts/staff/clinic_settings.html"
    form_class = ClinicSettingsForm

    def get_object(self, queryset=None):
        # A fresh copy: a rejected form must not rename the clinic in the header.
        return Clinic.objects.get(pk=self.clinic.pk)

    def get_success_url(self):
        return reverse("accounts:clinic")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Confirm in the language the next page speaks.
        language = user_language(self.request.user, clinic=self.object)
        with translation.override(language):
            messages.success(self.request, gettext("The clinic's settings are saved."))
        return response
