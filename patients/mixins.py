from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext


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
