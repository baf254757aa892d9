"""The patient's carers, from the patient page: details, consent, invitation.

Only the clinicians who may open the patient reach these pages (everyone else
gets a 404, like for the patient page). The views are thin: the rules about
consent and accounts live in ``carer_services``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView, View

from accounts.mixins import ClinicianRequiredMixin
from audit.models import AccessLog

from .carer_forms import CarerForm
from .carer_services import carer_create, carer_invite, carer_update, carer_withdraw_consent
from .mixins import PatientPageMixin, RefusePseudonymisedMixin
from .selectors import (
    carer_consent_history,
    carer_get_for_user,
    mask_email,
    patient_get_for_user,
)


def carers_panel_url(patient):
    """The patient page, scrolled to the carers."""
    return reverse("patients:detail", kwargs={"code": patient.code}) + "#carers"


class CarerMixin(ClinicianRequiredMixin, PatientPageMixin):
    """The carer named in the URL, reached through the patient (404 otherwise).

    Only the pages that show a carer's details log a reading (``access_kind``).
    """

    access_kind = None

    @cached_property
    def carer(self):
        return carer_get_for_user(self.request.user, self.kwargs["code"], self.kwargs["carer_id"])

    @property
    def patient(self):
        return self.carer.patient

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(patient=self.patient, carer=self.carer)
        return context


class CarerFormMixin:
    form_class = CarerForm
    template_name = "patients/carers/form.html"
    submit_label = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(patient=self.patient, carer=self.stored_carer, submit_label=self.submit_label)
        return kwargs

    def form_valid(self, form):
        try:
            carer = self.save(**form.service_kwargs())
        except ValidationError as exc:
            # A rule the form could not see (the consent changed on another
            # tablet meanwhile): the message goes beside the field, typing kept.
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_text(carer))
        return redirect(carers_panel_url(self.patient))


class CarerCreateView(ClinicianRequiredMixin, RefusePseudonymisedMixin, CarerFormMixin, FormView):
    """Name a carer and record what the patient agrees to share with them."""

    submit_label = _("Add carer")
    stored_carer = None

    @cached_property
    def patient(self):
        return patient_get_for_user(self.request.user, self.kwargs["code"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["patient"] = self.patient
        return context

    def save(self, **fields):
        return carer_create(patient=self.patient, recorded_by=self.request.user, **fields)

    def success_text(self, carer):
        if carer.email:
            return gettext("The carer is added. Send the invitation when the carer should sign in.")
        return gettext("The carer is added.")


class CarerUpdateView(CarerMixin, RefusePseudonymisedMixin, CarerFormMixin, FormView):
    """Change a carer's details or what is shared; a consent change is confirmed."""

    submit_label = _("Save changes")
    # The form shows the carer's full contact details.
    access_kind = AccessLog.Kind.PATIENT

    @property
    def stored_carer(self):
        return self.carer

    def get_initial(self):
        return CarerForm.initial_for(self.carer)

    def save(self, **fields):
        email_before = self.carer.email
        linked_before = self.carer.user_id is not None
        carer = carer_update(carer=self.carer, recorded_by=self.request.user, **fields)
        self.account_unlinked = linked_before and carer.email != email_before
        return carer

    def success_text(self, carer):
        if self.account_unlinked:
            return gettext(
                "The changes are saved. The email address changed, so the carer needs a "
                "new invitation to sign in."
            )
        return gettext("The changes are saved.")


class CarerInviteView(CarerMixin, RefusePseudonymisedMixin, View):
    """Send (or send again) the invitation to sign in. POST only."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            carer_invite(carer=self.carer, invited_by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                gettext("The invitation is sent to %(email)s.")
                % {"email": mask_email(self.carer.email)},
            )
        return redirect(carers_panel_url(self.patient))


class CarerWithdrawView(CarerMixin, TemplateView):
    """Withdraw the patient's consent, after a confirmation page."""

    template_name = "patients/carers/withdraw.html"

    def get(self, request, *args, **kwargs):
        if not self.carer.has_consent:
            messages.info(request, gettext("Nothing is shared with this carer."))
            return redirect(carers_panel_url(self.patient))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        had_consent = self.carer.has_consent
        carer_withdraw_consent(carer=self.carer, recorded_by=request.user)
        if had_consent:
            messages.success(
                request,
                gettext("Consent is withdrawn: %(name)s no longer sees anything of this patient.")
                % {"name": self.carer.full_name},
            )
        else:
            messages.info(request, gettext("Nothing is shared with this carer."))
        return redirect(carers_panel_url(self.patient))


class CarerHistoryView(CarerMixin, TemplateView):
    """Every change of a carer's consent and details: who, when, what."""

    template_name = "patients/carers/history.html"
    access_kind = AccessLog.Kind.HISTORY

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["entries"] = carer_consent_history(self.carer)
        return context
