"""Who made a change, and why, in a model's change history (django-simple-history).

django-simple-history reads two attributes of the instance when a save writes
its history row; outside a request (a service called by a task or a shell)
they are how the row names the person. One place sets them.
"""


def history_by(instance, user, *, reason=None):
    """Name ``user`` (and ``reason``) in the history row of ``instance``'s next save."""
    instance._history_user = user
    if reason is not None:
        instance._change_reason = reason
