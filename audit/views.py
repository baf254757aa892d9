"""The clinic's access log, for the clinic's admin.

A patient's own audit pages (change history, "who saw my record") read the
whole record and live in the top layer (records/audit_views.py).
"""

from django.utils.functional import cached_property
from django.views.generic import ListView

from accounts.mixins import ClinicAdminRequiredMixin
from accounts.selectors import membership_for_user

from . import selectors
from .forms import AccessLogFilterForm


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
            patient=selectors.logged_patient(self.clinic, code),
        )
        return context
