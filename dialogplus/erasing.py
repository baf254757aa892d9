"""Helpers every app's erasure uses (records/erasure.py says what erasure is).

History rows are changed with ``QuerySet.update()`` on purpose: blanking a
name is not an edit anyone should see as a change of the record, and a new
history row would only keep another copy.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType


def history_rows(model):
    """The change-history table of ``model`` (django-simple-history)."""
    return model.history.model.objects


def live_and_past_ids(model, **lookup):
    """Ids of ``model`` rows matching ``lookup``, live or kept only in history:
    a row deleted earlier lives on in history and must be erased there too."""
    live = model.objects.filter(**lookup).values_list("id", flat=True)
    past = history_rows(model).filter(**lookup).values_list("id", flat=True)
    return frozenset(live) | frozenset(past)


def admin_log_rename(model, names):
    """Django's admin log keeps each object's name as it was (``object_repr``);
    ``names`` maps primary keys of ``model`` to what they are called now."""
    if not names:
        return
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in names],
    )
    for entry in entries:
        LogEntry.objects.filter(pk=entry.pk).update(
            object_repr=str(names[int(entry.object_id)])[:200]
        )
