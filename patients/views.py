import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, ListView, TemplateView

from accounts.mixins import ClinicianRequiredMixin
from accounts.selectors import membership_for_user
from audit.models import AccessLog
from audit.services import log_access
from reminders.selectors import reminders_panel_for_patient
from scale.selectors import scale_current_for_clinic
from sessions_app.charts import history_charts, score_trend_charts
from sessions_app.models import DialogSession
from sessions_app.rating_links import RATEABLE_STAGES, rating_link_status
from sessions_app.selectors import (
    open_actions_for_patient,
    rating_history,
    session_open_for_patient,
    sessions_for_patient_page,
)

from .forms import PatientForm
from .mixins import RefusePseudonymisedMixin
from .selectors import carers_for_patient_page, patient_get_for_user, patient_list_for_user
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


class PatientDetailView(ClinicianRequiredMixin, TemplateView):
    """The patient page: plan, open actions, sessions and history charts.

    Its query count is fixed: nothing here queries per session or per domain.
    """

    template_name = "patients/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        patient = patient_get_for_user(self.request.user, kwargs["code"])
        log_access(user=self.request.user, patient=patient, kind=AccessLog.Kind.PATIENT)
        sessions = sessions_for_patient_page(patient)
        completed = [s for s in sessions if s.status == DialogSession.Status.COMPLETED]
        history_sessions, series = rating_history(patient)
        domains = list(scale_current_for_clinic(patient.clinic).domains.all())
        now = timezone.now()
        open_session = session_open_for_patient(patient)
        context.update(
            patient=patient,
            sessions=sessions,
            delivered=len(completed),
            now=now,
            open_session=open_session,
            # The patient's own rating link, before the appointment.
            rating_link=rating_link_status(open_session, now=now),
            can_make_rating_link=patient.pseudonymised_at is None
            and (open_session is None or open_session.stage in RATEABLE_STAGES),
            open_actions=list(open_actions_for_patient(patient)),
            history_sessions=history_sessions,
            charts=history_charts(domains, history_sessions, series),
            score_charts=score_trend_charts(domains, history_sessions, series),
            Attendance=DialogSession.Attendance,
            # Next appointment, contact details and carers' reminder choices.
            reminders=reminders_panel_for_patient(patient, now=now),
            carers=carers_for_patient_page(patient),
        )
        return context
