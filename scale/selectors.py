from collections import defaultdict

from django.db.models import Q

from .models import ActionSuggestion, ScaleVersion


def scale_current():
    """The version new sessions are rated with, domains and labels prefetched."""
    return (
        ScaleVersion.objects.filter(is_current=True)
        .prefetch_related("domains", "labels", "steps__prompts")
        .get()
    )


def scale_get(version_id):
    """A version with everything a session screen shows of it, in few queries."""
    return ScaleVersion.objects.prefetch_related("domains", "labels", "steps__prompts").get(
        pk=version_id
    )


def suggestions_for_admin(clinic):
    """Like ``action_suggestions``, with the hidden ones too (they can be shown again)."""
    return action_suggestions(clinic, include_hidden=True)


def action_suggestions(clinic, domain_keys=None, *, include_hidden=False):
    """``{domain key: [ActionSuggestion]}``: the defaults as this clinic sees them.

    A clinic's own row that ``replaces`` a default stands in its place (a hidden
    one takes it away); a clinic's row without ``replaces`` is one more
    suggestion. Another clinic's rows are never read. One query.
    """
    rows = ActionSuggestion.objects.filter(Q(clinic__isnull=True) | Q(clinic=clinic))
    if domain_keys is not None:
        rows = rows.filter(domain_key__in=domain_keys)
    rows = list(rows)
    overrides = {row.replaces_id: row for row in rows if row.replaces_id is not None}
    shown = defaultdict(list)
    for row in rows:
        if row.replaces_id is not None:
            continue
        row = overrides.get(row.id, row)
        if include_hidden or not row.hidden:
            shown[row.domain_key].append(row)
    for suggestions in shown.values():
        suggestions.sort(key=lambda row: (row.position, row.id))
    return shown
