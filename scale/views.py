"""The wording pages: a scope's versions and their review, editing a draft, suggestions.

Who may do what (scale.selectors): a clinic admin sees, writes and proposes
their clinic's scope's versions; someone who may validate for the scope, and
did not propose or write the version, approves or rejects it; a superuser sees
and reviews every scope's. Another scope's version is a 404, like one that
does not exist.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.forms import language_options
from accounts.mixins import ClinicAdminRequiredMixin
from accounts.selectors import membership_for_user
from dialogplus.languages import LANGUAGE_CODES

from .forms import RejectForm, WordingForm
from .models import ActionSuggestion, ScaleVersion, WordingStatus
from .scopes import scope_of_version
from .selectors import (
    may_see_wording,
    may_validate,
    scale_current_for_clinic,
    suggestions_for_admin,
    version_get_for_user,
    versions_for_user,
    wording_scope_for_user,
)
from .services import (
    WordingConflictError,
    WordingRefusedError,
    draft_start,
    draft_wording_save,
    open_version_for_scope,
    suggestion_save,
    version_approve,
    version_propose,
    version_reject,
)


def _language_name(code):
    for option in language_options():
        if option["code"] == code:
            return option["name"]
    raise Http404


class WordingAccessMixin(LoginRequiredMixin):
    """Clinic admins and superusers; everyone else gets a 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_see_wording(request.user):
            raise Http404
        self.scope = wording_scope_for_user(request.user)
        return super().dispatch(request, *args, **kwargs)

    def may_write(self, version):
        """Whether the user writes this version: an admin of its scope, while it is open."""
        return (
            self.scope is not None
            and self.scope == scope_of_version(version)
            and version.state != ScaleVersion.State.VALIDATED
        )


class WordingListView(WordingAccessMixin, TemplateView):
    """The scope's versions with their state, the one in use, and the open draft."""

    template_name = "scale/wording_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        in_use = open_version = None
        if self.scope is not None:
            clinic = membership_for_user(self.request.user).clinic
            in_use = scale_current_for_clinic(clinic)
            open_version = open_version_for_scope(self.scope)
        context.update(
            scope=self.scope,
            in_use=in_use,
            in_use_is_shared=in_use is not None and scope_of_version(in_use) != self.scope,
            open_version=open_version,
            versions=versions_for_user(self.request.user).order_by("country", "-number"),
        )
        return context


class DraftStartView(WordingAccessMixin, View):
    """Start a draft for the admin's scope (or open the one there is)."""

    http_method_names = ["post"]

    def post(self, request):
        if self.scope is None:
            raise Http404
        clinic = membership_for_user(request.user).clinic
        try:
            version = draft_start(clinic=clinic, user=request.user)
        except WordingRefusedError as refused:
            messages.error(request, refused.message)
            return redirect("scale:wording_list")
        return redirect("scale:version", pk=version.pk)


class VersionView(WordingAccessMixin, TemplateView):
    """One version: its state and history, each language, and the review buttons."""

    template_name = "scale/version.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version = kwargs.get("version") or version_get_for_user(self.request.user, kwargs["pk"])
        statuses = {status.language: status for status in version.statuses.all()}
        user = self.request.user
        editors = {s.edited_by_id for s in statuses.values() if s.edited_by_id is not None}
        rows = []
        for option in language_options(scope_of_version(version).country or None):
            status = statuses.get(option["code"])
            rows.append(
                {
                    **option,
                    "validated": status is not None
                    and status.status == WordingStatus.Status.VALIDATED,
                    "edited": status is not None and status.edited_by_id is not None,
                    "source": status.source if status is not None else "",
                }
            )
        validator = version.state == ScaleVersion.State.PROPOSED and may_validate(user, version)
        own = user.pk == version.proposed_by_id or user.pk in editors
        context.update(
            version=version,
            scope_name=scope_of_version(version).name,
            rows=rows,
            may_write=self.may_write(version),
            may_propose=self.may_write(version)
            and version.state == ScaleVersion.State.DRAFT
            and bool(editors),
            may_review=validator and not own,
            own_proposal=validator and own,
            reject_form=kwargs.get("reject_form") or RejectForm(),
        )
        return context


class VersionActionView(WordingAccessMixin, View):
    """A POST that moves a version on; a refusal is shown calmly on its page."""

    http_method_names = ["post"]

    def post(self, request, pk):
        version = version_get_for_user(request.user, pk)
        try:
            message = self.act(version)
        except WordingRefusedError as refused:
            messages.error(request, refused.message)
        else:
            if message:
                messages.success(request, message)
        return redirect("scale:version", pk=version.pk)


class ProposeView(VersionActionView):
    def act(self, version):
        if not self.may_write(version):
            raise Http404
        version_propose(version=version, user=self.request.user)
        return gettext(
            "Version %(number)s is proposed. Someone else who may validate wording for your "
            "country will review it; until then sessions keep the wording they use now."
        ) % {"number": version.number}


class ApproveView(VersionActionView):
    def act(self, version):
        value = self.request.POST.get("revision", "")
        revision = int(value) if value.isascii() and value.isdigit() and len(value) < 10 else -1
        version = version_approve(version=version, user=self.request.user, revision=revision)
        return gettext(
            "Version %(number)s is validated. New sessions in %(scope)s use it from now on; "
            "sessions already started keep their wording."
        ) % {"number": version.number, "scope": scope_of_version(version).name}


class RejectView(VersionView):
    """Send a proposal back to draft with a reason; an empty reason is asked for again."""

    http_method_names = ["post"]

    def post(self, request, pk):
        version = version_get_for_user(request.user, pk)
        form = RejectForm(request.POST)
        try:
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                version_reject(version=version, user=request.user, reason=reason)
                messages.success(
                    request,
                    gettext("Version %(number)s went back to draft with your reason.")
                    % {"number": version.number},
                )
                return redirect("scale:version", pk=version.pk)
        except WordingRefusedError as refused:
            messages.error(request, refused.message)
            return redirect("scale:version", pk=version.pk)
        except ValidationError as error:
            form.add_error(None, error)
        # Shown again like any refused form (200): the browser reports no error.
        return self.render_to_response(
            self.get_context_data(pk=pk, version=version, reject_form=form)
        )


class WordingEditView(WordingAccessMixin, FormView):
    """Every text of a version in one language; saving keeps the version's state.

    An admin of the version's scope writes into a draft or a proposal (a typo
    fixed); anyone else who may see it, and everyone once it is validated,
    reads it. A refused save re-renders what was typed, with a message beside
    each field; nothing is stored until every text is there.
    """

    template_name = "scale/wording_edit.html"
    form_class = WordingForm

    def dispatch(self, request, *args, **kwargs):
        if kwargs["language"] not in LANGUAGE_CODES:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        self.language = self.kwargs["language"]
        self.version = version_get_for_user(self.request.user, self.kwargs["pk"])
        self.writable = self.may_write(self.version)
        if self.request.method == "POST" and not self.writable:
            raise Http404
        kwargs = super().get_form_kwargs()
        kwargs.update(version=self.version, language=self.language, read_only=not self.writable)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            language=self.language,
            language_name=_language_name(self.language),
            version=self.version,
            writable=self.writable,
        )
        return context

    def form_valid(self, form):
        try:
            draft_wording_save(
                version=self.version,
                language=self.language,
                texts=form.texts(),
                source=form.cleaned_data["source"],
                user=self.request.user,
                revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except WordingConflictError as conflict:
            form.show_conflict(conflict.current)
            return self.form_invalid(form)
        except WordingRefusedError as refused:
            messages.error(self.request, refused.message)
            return redirect("scale:version", pk=self.version.pk)
        messages.success(
            self.request,
            gettext(
                "Saved in version %(number)s: %(language)s. The version is still “%(state)s”: "
                "no session uses it until someone else validates it."
            )
            % {
                "language": _language_name(self.language),
                "number": self.version.number,
                "state": self.version.get_state_display(),
            },
        )
        return redirect("scale:version", pk=self.version.pk)


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
        for domain in scale_current_for_clinic(self.clinic).domains.all():
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
