"""The clinic admin's wording pages: each language's status, and pasting a validated wording."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.generic import FormView, TemplateView

from accounts.forms import language_options
from accounts.mixins import ClinicAdminRequiredMixin
from accounts.selectors import membership_for_user
from dialogplus.languages import LANGUAGE_CODES

from .forms import WordingForm
from .models import ActionSuggestion, WordingStatus
from .selectors import scale_current, suggestions_for_admin
from .services import WordingConflict, scale_version_validate, suggestion_save


def _language_name(code):
    for option in language_options():
        if option["code"] == code:
            return option["name"]
    raise Http404


class WordingListView(ClinicAdminRequiredMixin, TemplateView):
    """Every language of the current version with its status, the clinic's own first."""

    template_name = "scale/wording_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        clinic = membership_for_user(self.request.user).clinic
        version = scale_current()
        statuses = {status.language: status for status in version.statuses.all()}
        rows = []
        for option in language_options(clinic.country):
            status = statuses.get(option["code"])
            rows.append(
                {
                    **option,
                    "validated": status is not None
                    and status.status == WordingStatus.Status.VALIDATED,
                    "source": status.source if status is not None else "",
                }
            )
        context.update(version=version, rows=rows)
        return context


class WordingEditView(ClinicAdminRequiredMixin, FormView):
    """Every text of the current version in one language; saving validates it.

    A refused save re-renders what was typed, with a message beside each
    field; nothing is stored until every text is there.
    """

    template_name = "scale/wording_edit.html"
    form_class = WordingForm

    def get_form_kwargs(self):
        if self.kwargs["language"] not in LANGUAGE_CODES:
            raise Http404
        self.language = self.kwargs["language"]
        self.version = scale_current()
        kwargs = super().get_form_kwargs()
        kwargs.update(version=self.version, language=self.language)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            language=self.language,
            language_name=_language_name(self.language),
            version=self.version,
            next_number=self.version.number + 1,
        )
        return context

    def form_valid(self, form):
        try:
            version = scale_version_validate(
                language=self.language,
                texts=form.texts(),
                source=form.cleaned_data["source"],
                user=self.request.user,
                based_on=form.cleaned_data["based_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except WordingConflict as conflict:
            form.show_conflict(conflict.current)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext(
                "Validated wording saved: %(language)s. Version %(number)s of the DIALOG "
                "scale is now used for new sessions in every clinic."
            )
            % {"language": _language_name(self.language), "number": version.number},
        )
        return redirect("scale:wording_list")


class SuggestionsView(ClinicAdminRequiredMixin, TemplateView):
    """The common actions offered as chips in step 4, as this clinic sees them.

    The admin adds the clinic's own, rewords a default for the clinic, or hides
    one; nothing here changes what another clinic sees. A refused save shows
    the message beside the row, with what was typed.
    """

    template_name = "scale/suggestions.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            membership = membership_for_user(request.user)
            self.clinic = membership.clinic if membership else None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shown = suggestions_for_admin(self.clinic)
        failed = kwargs.get("failed")
        groups = []
        for domain in scale_current().domains.all():
            groups.append(
                {
                    "domain": domain,
                    "suggestions": shown.get(domain.key, []),
                    # A refused new suggestion comes back in its own area's box.
                    "failed_new": failed is not None
                    and failed["id"] is None
                    and failed["key"] == domain.key,
                }
            )
        context.update(groups=groups, failed=failed)
        return context

    def post(self, request, *args, **kwargs):
        data = request.POST
        suggestion = None
        if data.get("suggestion"):
            value = data["suggestion"]
            if not (value.isascii() and value.isdigit()):
                raise Http404
            suggestion = get_object_or_404(
                ActionSuggestion.objects.filter(Q(clinic__isnull=True) | Q(clinic=self.clinic)),
                pk=int(value),
            )
        domain_key = suggestion.domain_key if suggestion else data.get("domain_key", "")
        try:
            suggestion_save(
                clinic=self.clinic,
                domain_key=domain_key,
                text=data.get("text", ""),
                suggestion=suggestion,
                hidden=data.get("do") == "hide",
            )
        except ValidationError as error:
            failed = {
                "key": domain_key,
                "id": suggestion.id if suggestion else None,
                "text": data.get("text", ""),
                "message": " ".join(error.messages),
            }
            return self.render_to_response(self.get_context_data(failed=failed), status=422)
        messages.success(request, gettext("Suggested actions saved for your clinic."))
        return redirect("scale:suggestions")
