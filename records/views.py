"""The patient page: the whole record at a glance, for the patient's clinicians.

It reads every app below (sessions, charts, the rating link, reminders,
carers); only this top layer may put them together.
"""

from django.utils import timezone
from django.views.generic import TemplateView

from accounts.mixins import ClinicianRequiredMixin
from patients.mixins import PatientPageMixin
from patients.selectors import carers_for_patient_page
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


class PatientDetailView(ClinicianRequiredMixin, PatientPageMixin, TemplateView):
    """The patient page: plan, open actions, sessions and history charts.

    Its query count is fixed: nothing here queries per session or per domain.
    """

    template_name = "patients/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        patient = self.patient
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
