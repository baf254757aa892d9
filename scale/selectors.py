from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404

from accounts.models import Membership
from accounts.selectors import membership_for_user

from .models import ActionSuggestion, ScaleVersion
from .scopes import SHARED_SCOPE, Scope, scope_of_clinic, scope_of_version

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from accounts.models import Clinic, User

ROWS = ("domains", "labels", "steps__prompts")
# The largest id a database key holds: a longer number in a URL names nothing.
MAX_ID = 2**63 - 1


def scale_current() -> ScaleVersion:
    """The shared default version (used where a scope has none of its own)."""
    return (
        ScaleVersion.objects.filter(is_current=True, **SHARED_SCOPE.lookup())
        .prefetch_related(*ROWS)
        .get()
    )


def scale_current_for_clinic(clinic: Clinic) -> ScaleVersion:
    """The version the clinic's new sessions are rated with: its scope's current
    validated version, or the shared default when the scope has none."""
    own = (
        ScaleVersion.objects.filter(is_current=True, **scope_of_clinic(clinic).lookup())
        .prefetch_related(*ROWS)
        .first()
    )
    return own if own is not None else scale_current()


def wording_scope_for_user(user: User | AnonymousUser) -> Scope | None:
    """The scope whose wording ``user`` works on, or None (a superuser sees all).

    A clinic admin works on their clinic's scope; anyone else has none.
    """
    membership = membership_for_user(user)
    if membership is None or membership.role != Membership.Role.ADMIN:
        return None
    return scope_of_clinic(membership.clinic)


def may_see_wording(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (
        (user.is_active and user.is_superuser) or wording_scope_for_user(user) is not None
    )


def versions_for_user(user: User | AnonymousUser) -> QuerySet[ScaleVersion]:
    """The versions ``user`` may see: a superuser every one, an admin their scope's
    and the shared default's (which their clinic uses while its scope has none).
    Another scope's are never read."""
    versions = ScaleVersion.objects.select_related(
        "created_by", "proposed_by", "validated_by", "rejected_by", "based_on"
    )
    if user.is_active and user.is_superuser:
        return versions
    scope = wording_scope_for_user(user)
    if scope is None:
        return versions.none()
    return versions.filter(Q(**scope.lookup()) | Q(**SHARED_SCOPE.lookup()))


def version_get_for_user(user: User | AnonymousUser, pk: int) -> ScaleVersion:
    """A version ``user`` may see, rows prefetched, or a 404.

    Another scope's version answers like one that does not exist.
    """
    if not 0 < pk <= MAX_ID:
        raise Http404
    version = versions_for_user(user).prefetch_related(*ROWS, "statuses").filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def may_validate(user: User | AnonymousUser, version: ScaleVersion) -> bool:
    """Whether ``user`` may approve or reject versions of ``version``'s scope.

    A superuser may, everywhere. Anyone else needs the explicit permission
    ``scale.validate_wording`` (granted by a superuser in Django's admin) and
    must be an admin of a clinic in that scope: being a clinic admin alone
    only lets one write and propose. Whether they wrote or proposed this very
    version is checked by the service, not here.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    scope = wording_scope_for_user(user)
    return (
        scope is not None
        and scope == scope_of_version(version)
        and not scope.is_shared
        and user.has_perm("scale.validate_wording")
    )


def scale_get(version_id: int) -> ScaleVersion:
    """A version with everything a session screen shows of it, in few queries."""
    return ScaleVersion.objects.prefetch_related("domains", "labels", "steps__prompts").get(
        pk=version_id
    )


def suggestions_for_admin(clinic: Clinic) -> dict[str, list[ActionSuggestion]]:
    """Like ``action_suggestions``, with the hidden ones too (they can be shown again)."""
    return action_suggestions(clinic, include_hidden=True)


def action_suggestions(
    clinic: Clinic,
    domain_keys: Iterable[str] | None = None,
    *,
    include_hidden: bool = False,
) -> dict[str, list[ActionSuggestion]]:
    """``{domain key: [ActionSuggestion]}``: the defaults as this clinic sees them.

    A clinic's own row that ``replaces`` a default stands in its place (a hidden
    one takes it away); a clinic's row without ``replaces`` is one more
    suggestion. Another clinic's rows are never read. One query.
    """
    rows = ActionSuggestion.objects.filter(Q(clinic__isnull=True) | Q(clinic=clinic))
    if domain_keys is not None:
        rows = rows.filter(domain_key__in=domain_keys)
    found = list(rows)
    overrides = {row.replaces_id: row for row in found if row.replaces_id is not None}
    shown: defaultdict[str, list[ActionSuggestion]] = defaultdict(list)
    for row in found:
        if row.replaces_id is not None:
            continue
        row = overrides.get(row.id, row)
        if include_hidden or not row.hidden:
            shown[row.domain_key].append(row)
    for suggestions in shown.values():
        suggestions.sort(key=lambda row: (row.position, row.id))
    return shown
