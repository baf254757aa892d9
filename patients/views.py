import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView

from accounts.mixins import ClinicianRequiredMixin
from accounts.selectors import membership_for_user

from .forms import PatientForm
from .mixins import RefusePseudonymisedMixin
from .selectors import patient_get_for_user, patient_list_for_user
from .services import patient_create, patient_update

SEARCH_MAX_LENGTH = 100


class PatientListView(ClinicianRequiredMixin, ListView):
    """The clinic's patients, the clinician's own first, searchable by name or code."""

    template_name = "patients/list.html"
    context_object_name = "patients"
    paginate_by = 50

    def post(self, request, *args, **kwargs):
        # Search is a POST so that a typed name never lands in a URL (history,
        # logs, referrers); the result page is the list itself.
        return self.get(request, *args, **kwargs)

    def get_queryset(self):
        self.query = self.request.POST.get("q", "")[:SEARCH_MAX_LENGTH].strip()
        return patient_list_for_user(self.request.user, query=self.query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.query
        context["clinic"] = membership_for_user(self.request.user).clinic
        return context


class PatientFormMixin(ClinicianRequiredMixin):
    """Shared by create and edit: the form gets the clinic; a rule broken in the
    service comes back as messages beside the fields, with what was typed kept."""

    form_class = PatientForm
    template_name = "patients/form.html"
    submit_label = None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["clinic"] = self.get_clinic()
        kwargs["submit_label"] = self.submit_label
        return kwargs

    def form_valid(self, form):
        try:
            patient = self.save(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_text())
        return redirect("patients:detail", code=patient.code)


class PatientCreateView(PatientFormMixin, FormView):
    submit_label = _("Add patient")

    def get_clinic(self):
        return membership_for_user(self.request.user).clinic

    def get_initial(self):
        # Most patients are registered by the clinician who will see them.
        return {"key_clinician": self.request.user.pk}

    def save(self, form):
        return patient_create(
            clinic=self.get_clinic(), created_by=self.request.user, **form.cleaned_data
        )

    def success_text(self):
        return gettext("The patient is added.")


class PatientUpdateView(PatientFormMixin, RefusePseudonymisedMixin, FormView):
    submit_label = _("Save changes")

    @cached_property
    def patient(self):
        return patient_get_for_user(self.request.user, self.kwargs["code"])

    def get_clinic(self):
        return self.patient.clinic

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The form edits a copy, so a rejected form leaves the patient named in the
        # page heading as stored.
        kwargs["instance"] = copy.copy(self.patient)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["patient"] = self.patient
        return context

    def save(self, form):
        return patient_update(patient=form.instance, **form.cleaned_data)

    def success_text(self):
        return gettext("The changes are saved.")
