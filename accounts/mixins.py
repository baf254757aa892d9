from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from .selectors import is_clinic_admin, is_clinician


class ClinicianRequiredMixin(LoginRequiredMixin):
    """Only clinicians of a clinic reach patient pages; everyone else gets a 404,
    so a carer or another role learns nothing about what exists."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_clinician(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ClinicAdminRequiredMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_clinic_admin(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
