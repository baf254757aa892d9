"""The language to speak to a signed-in person in: staff or carer.

The order of the steps is ``dialogplus.languages.preferred_language``'s; this
fills them in from the account.
"""

from dialogplus.languages import preferred_language

from .selectors import membership_for_user


def user_language(user, *, clinic=None, carers=None, fallback=None):
    """The language to speak or write to ``user`` in.

    Their own choice (``User.language``); else, for a carer, the language
    recorded on their carer rows (``carers``: the rows a page is about; by
    default all of the account's), then their patient's; else the clinic's
    default (``clinic``, or the clinic they work in); else ``fallback`` (what
    the page already speaks) or the site's default.

    Nobody records a language for a member of staff, so their carer rows are
    not looked up. Carer rows are read through the account's reverse relation
    (``carer_links``): this layer does not import ``patients``.
    """

    def recorded():
        if carers is not None:
            rows = carers
        elif clinic is not None or membership_for_user(user) is not None or user.pk is None:
            return ()
        else:
            rows = user.carer_links.select_related("patient").order_by("id")
        return (code for row in rows for code in (row.language, row.patient.language))

    def clinic_language():
        if clinic is not None:
            return clinic.default_language
        own = membership_for_user(user)
        return own.clinic.default_language if own is not None else ""

    return preferred_language(
        own=user.language, recorded=recorded, clinic=clinic_language, fallback=fallback
    )
