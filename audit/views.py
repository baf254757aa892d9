"""The audit pages: the clinic's access log, a patient's change history and
the printable "who saw my record".

Opening a patient's audit page is itself an access to the record, so both
patient pages write the access log before they read it.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.functional import cached_property
from django.views.generic import ListView, TemplateView

from accounts.mixins import ClinicAdminRequiredMixin
from accounts.selectors import is_clinic_admin, is_clinician, membership_for_user

from . import selectors
from .forms import AccessLogFilterForm, PeriodForm
from .history import change_history_for_patient
from .models import AccessLog
from .services import log_access

HISTORY_PAGE_SIZE = 50


class AccessLogView(ClinicAdminRequiredMixin, ListView):
    """The admin's clinic's access log, newest first, filtered by a GET form."""

    template_name = "audit/log.html"
    context_object_name = "entries"
    paginate_by = 50

    @cached_property
    def clinic(self):
        return membership_for_user(self.request.user).clinic

    @cached_property
    def form(self):
        staff = selectors.clinic_staff_users(self.clinic)
        data = self.request.GET if self.request.GET.keys() - {"page"} else None
        return AccessLogFilterForm(data, staff=staff)

    def get_queryset(self):
        return selectors.access_log_for_clinic(self.clinic, **self.form.filters())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        code = self.form.filters().get("patient")
        context.update(
            clinic=self.clinic,
            form=self.form,
            filtered=bool(self.form.filters()),
            # A code typed in the filter opens that patient's audit pages.
            patient=selectors.patient_in_clinic(self.clinic, code),
        )
        return context


class PatientAuditMixin(LoginRequiredMixin):
    """For the patient's clinicians and the admin of the patient's clinic; 404 otherwise."""

    access_kind = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (is_clinician(request.user) or is_clinic_admin(request.user)):
            raise Http404
        self.patient, self.reads_clinical = selectors.patient_get_for_audit(
            request.user, kwargs["code"]
        )
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
            lines=selectors.access_report_for_patient(self.patient, **filters),
        )
        return context
