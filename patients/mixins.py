from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext

from audit.models import AccessLog
from audit.services import log_access

from .selectors import patient_get_for_user


class PatientPageMixin:
    """A page about one patient: its access check and its access-log line, in one place.

    ``self.patient`` is the patient named by ``code`` in the URL, through
    ``patient_get_for_user`` (a 404 outside the user's clinic). Reading the
    page (GET) writes ``access_kind`` to the access log once, before the page
    is drawn; ``None`` for a page that shows nothing of the record. Goes after
    the role mixin (``ClinicianRequiredMixin``), so nobody without the role
    reaches the lookup.
    """

    access_kind = AccessLog.Kind.PATIENT

    @cached_property
    def patient(self):
        return patient_get_for_user(self.request.user, self.kwargs["code"])

    def get(self, request, *args, **kwargs):
        if self.access_kind is not None:
            log_access(user=request.user, patient=self.patient, kind=self.access_kind)
        return super().get(request, *args, **kwargs)


class RefusePseudonymisedMixin:
    """For views that write who a patient is or how to reach them (name, carers,
    contact details, appointments): a pseudonymised record takes none of it,
    since anything typed there would identify the patient again.

    Goes after the access mixin, so ``self.patient`` is only asked for once the
    user may see patients (and is a 404 for anyone else's).
    """

    def dispatch(self, request, *args, **kwargs):
        # A method the view does not answer gets its 405 first, before any lookup.
        answered = request.method.lower() in self.http_method_names and hasattr(
            self, request.method.lower()
        )
        if answered and request.user.is_authenticated and self.patient.pseudonymised_at:
            messages.error(
                request,
                gettext("This record is pseudonymised: it takes no new personal details."),
            )
            return redirect("patients:detail", code=self.patient.code)
        return super().dispatch(request, *args, **kwargs)
