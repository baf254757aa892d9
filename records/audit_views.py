"""A patient's audit pages: the change history and the printable "who saw my record".

Opening either is itself an access to the record, so both write the access
log before they read it. The change history reads the history tables of
every app, which is why these pages live in the top layer.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView

from accounts.selectors import is_clinic_admin, is_clinician
from audit.forms import PeriodForm
from audit.models import AccessLog
from audit.selectors import access_report_for_patient
from audit.services import log_access
from patients.selectors import patient_get_for_audit

from .history import change_history_for_patient

HISTORY_PAGE_SIZE = 50


class PatientAuditMixin(LoginRequiredMixin):
    """For the patient's clinicians and the admin of the patient's clinic; 404 otherwise."""

    access_kind = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (is_clinician(request.user) or is_clinic_admin(request.user)):
            raise Http404
        self.patient, self.reads_clinical = patient_get_for_audit(request.user, kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        log_access(user=request.user, patient=self.patient, kind=self.access_kind)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(patient=self.patient, reads_clinical=self.reads_clinical)
        return context


class ChangeHistoryView(PatientAuditMixin, TemplateView):
    """Every change to the record: when, who, what, before and after."""

    template_name = "audit/history.html"
    access_kind = AccessLog.Kind.HISTORY

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = change_history_for_patient(self.patient, reads_clinical=self.reads_clinical)
        page = Paginator(entries, HISTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, entries=page.object_list)
        return context


class AccessReportView(PatientAuditMixin, TemplateView):
    """The "who saw my record" list to print and hand to the patient, in their language."""

    template_name = "audit/access_report.html"
    access_kind = AccessLog.Kind.ACCESS_REPORT

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = PeriodForm(self.request.GET or None)
        filters = form.filters()
        context.update(
            form=form,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            lines=access_report_for_patient(self.patient, **filters),
        )
        return context
