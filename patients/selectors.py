from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, overload

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Membership
from accounts.selectors import admins_clinic_for
from dialogplus.languages import LANGUAGES

from .models import Carer, Patient
from .name_index import name_matches, sort_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import Clinic, User


def patients_visible_to(user: User | AnonymousUser) -> QuerySet[Patient]:
    """Every patient the user may open: those of clinics where they are an
    active clinician. The one place that draws the clinical tenancy boundary."""
    if not user.is_authenticated:
        return Patient.objects.none()
    clinic_ids = Membership.objects.filter(
        user=user, is_active=True, role=Membership.Role.CLINICIAN
    ).values("clinic_id")
    return Patient.objects.filter(clinic_id__in=clinic_ids)


def patient_get_for_user(user: User | AnonymousUser, code: str) -> Patient:
    """The patient with this code if the user may see it; a 404 otherwise,
    whether it is missing or belongs to another clinic."""
    try:
        return patients_visible_to(user).select_related("clinic", "key_clinician").get(code=code)
    except Patient.DoesNotExist as exc:
        raise Http404 from exc


def patient_list_for_user(user: User | AnonymousUser, *, query: str = "") -> PatientListRows:
    """The clinic's patients for the list page: the user's own patients first,
    then by name, with the counts the list shows (no per-row queries).

    Names are encrypted, so the order is made in Python from one query of ids
    and names; a page then reads its rows with their counts in one more query
    (``PatientListRows``), however long the list.
    """
    patients = patients_visible_to(user)
    query = query.strip()
    if query:
        patients = patients.filter(name_or_code_matches(query))
    rows = patients.values_list("id", "full_name", "key_clinician_id")
    ordered = sorted(rows, key=lambda row: (row[2] != user.pk, sort_key(row[1]), row[0]))
    return PatientListRows([row[0] for row in ordered], user=user)


class PatientListRows(Sequence[Patient]):
    """The patient list in its order, read a slice (a page) at a time with the
    counts of ``_with_list_counts``; what the paginator and templates need."""

    def __init__(self, ids: list[int], *, user: User | AnonymousUser) -> None:
        self.ids = ids
        self.user = user

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:  # type: ignore[override]  # a queryset's count(), for the paginator
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Patient: ...

    @overload
    def __getitem__(self, index: slice) -> list[Patient]: ...

    def __getitem__(self, index: int | slice) -> Patient | list[Patient]:
        if isinstance(index, slice):
            ids = self.ids[index]
            by_id = {p.pk: p for p in _with_list_counts(Patient.objects.filter(id__in=ids))}
            page = [by_id[pk] for pk in ids if pk in by_id]
        else:
            page = [_with_list_counts(Patient.objects.filter(id=self.ids[index])).get()]
        for patient in page:
            # Extras for the template, not fields: the stubs do not know them.
            patient.is_mine = 0 if patient.key_clinician_id == self.user.pk else 1  # type: ignore[attr-defined]
        return page if isinstance(index, slice) else page[0]

    def __iter__(self) -> Iterator[Patient]:
        return iter(self[:])


def _with_list_counts(patients: QuerySet[Patient]) -> QuerySet[Patient]:
    return patients.select_related("key_clinician").annotate(
        delivered=Count("sessions", filter=Q(sessions__status="completed")),
        last_session_at=Max("sessions__started_at", filter=Q(sessions__status="completed")),
        open_sessions=Count("sessions", filter=Q(sessions__status="in_progress")),
    )


def name_or_code_matches(query: str) -> Q:
    """The search condition: every word typed begins a word of the name (through
    the blind index, patients/name_index.py), or the query is the code. A
    pseudonymised patient is no longer found by name (what is left of it names
    nobody, and it has no index rows), only by their code."""
    by_code = Q(code__iexact=query)
    by_name = name_matches(query)
    if by_name is None:
        return by_code
    return (by_name & Q(pseudonymised_at__isnull=True)) | by_code


def patients_for_records(user: User | AnonymousUser) -> QuerySet[Patient]:
    """Patients whose data-protection requests (a copy of the record) the user
    may handle: the clinicians' patients as above, and every patient of a
    clinic the user administers. Admins reach only the record pages, never the
    clinical ones, which keep to ``patients_visible_to``."""
    if not user.is_authenticated:
        return Patient.objects.none()
    clinic_ids = Membership.objects.filter(
        user=user,
        is_active=True,
        role__in=[Membership.Role.CLINICIAN, Membership.Role.ADMIN],
    ).values("clinic_id")
    return Patient.objects.filter(clinic_id__in=clinic_ids)


def patients_for_erasure(user: User | AnonymousUser) -> QuerySet[Patient]:
    """Patients this user may pseudonymise or erase: their clinic admin only."""
    if not user.is_authenticated:
        return Patient.objects.none()
    clinic_ids = Membership.objects.filter(
        user=user, is_active=True, role=Membership.Role.ADMIN
    ).values("clinic_id")
    return Patient.objects.filter(clinic_id__in=clinic_ids)


def patient_get_for_records(
    user: User | AnonymousUser, code: str, *, for_erasure: bool = False
) -> Patient:
    """The patient with this code for the export (or, ``for_erasure``, the
    erasure) pages; a 404 when missing or out of the user's reach."""
    patients = patients_for_erasure(user) if for_erasure else patients_for_records(user)
    try:
        return patients.select_related("clinic", "key_clinician").get(code=code)
    except Patient.DoesNotExist as exc:
        raise Http404 from exc


def patients_search_for_admin(
    user: User | AnonymousUser, query: str, *, limit: int = 25
) -> list[Patient]:
    """The admin's search for a data-protection request: by name or by code,
    in the clinics they administer, by name (sorted in Python: names are
    encrypted); nothing without a query (admins do not browse the patient list)."""
    query = query.strip()
    if not query:
        return []
    found = (
        patients_for_erasure(user)
        .filter(name_or_code_matches(query))
        .select_related("key_clinician")
    )
    return sorted(found, key=lambda p: (sort_key(p.full_name), p.pk))[:limit]


def carer_links_for_user(user: User | AnonymousUser) -> QuerySet[Carer]:
    """The carer links through which this user currently has the patient's consent."""
    if not user.is_authenticated:
        return Carer.objects.none()
    return Carer.objects.filter(
        user=user, share_summaries=True, consent_withdrawn_at__isnull=True
    ).select_related("patient", "patient__clinic")


def clinicians_for_clinic(clinic: Clinic) -> QuerySet[User]:
    """The people who may be a key clinician in ``clinic``: active users with an
    active clinician membership there, by name."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__clinic=clinic,
            memberships__role=Membership.Role.CLINICIAN,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("full_name", "email")
    )


def _masked(text: str, *, keep_start: int, keep_end: int) -> str:
    if len(text) <= keep_start + keep_end:
        return "•" * len(text)
    hidden = len(text) - keep_start - keep_end
    return text[:keep_start] + "•" * hidden + text[len(text) - keep_end :]


def mask_email(email: str) -> str:
    """Enough of an address to recognise it on a shared screen: m•••@example.org."""
    if not email:
        return ""
    name, _at, domain = email.rpartition("@")
    return f"{_masked(name, keep_start=1, keep_end=0)}@{domain}"


def mask_phone(phone: str) -> str:
    """Enough of a number to recognise it on a shared screen: +381•••••567."""
    return _masked(phone, keep_start=4, keep_end=3) if phone else ""


class InvitationStatus:
    NOT_INVITED = "not_invited"
    INVITED = "invited"
    EXPIRED = "expired"
    ACCOUNT = "account"
    SIGNED_IN = "signed_in"


def carer_invitation_status(carer: Carer, *, now: datetime.datetime | None = None) -> str:
    """Where the carer is with signing in: not invited, invited on a date (or the
    link has run out), has an account but never signed in, or has signed in."""
    user = carer.user
    if user is None:
        return InvitationStatus.NOT_INVITED
    if user.last_login is not None:
        return InvitationStatus.SIGNED_IN
    if carer.invited_at is None:
        return InvitationStatus.ACCOUNT
    now = now or timezone.now()
    if now - carer.invited_at > timedelta(days=settings.DIALOGPLUS_INVITATION_DAYS):
        return InvitationStatus.EXPIRED
    return InvitationStatus.INVITED


def carers_for_patient_page(patient: Patient) -> list[Carer]:
    """The patient's carers for the patient page, in one query however many:
    who recorded their consent, their account, and their contact details
    masked (``masked_email``, ``masked_phone``) with the invitation status."""
    carers = sorted_carers(patient.carers.select_related("user", "consent_recorded_by"))
    now = timezone.now()
    for carer in carers:
        carer.patient = patient
        # Extras for the template, not fields: the stubs do not know them.
        carer.masked_email = mask_email(carer.email)  # type: ignore[attr-defined]
        carer.masked_phone = mask_phone(carer.phone)  # type: ignore[attr-defined]
        carer.invitation_status = carer_invitation_status(carer, now=now)  # type: ignore[attr-defined]
    return carers


def carer_get_for_user(user: User | AnonymousUser, code: str, carer_id: int) -> Carer:
    """A carer of the patient with this code, if the user may see the patient;
    a 404 otherwise (a missing carer, or one of another patient or clinic)."""
    patient = patient_get_for_user(user, code)
    try:
        carer = patient.carers.select_related("user", "consent_recorded_by").get(pk=carer_id)
    except Carer.DoesNotExist as exc:
        raise Http404 from exc
    carer.patient = patient
    return carer


def carers_with_consent_for_patient(patient: Patient) -> QuerySet[Carer]:
    """The carers who may own an action: the patient agreed to share with them
    and has not withdrawn it (so the carer can read the action they own).
    A query, in the order they were added; ``sorted_carers`` puts it in name order."""
    return patient.carers.filter(share_summaries=True, consent_withdrawn_at__isnull=True).order_by(
        "id"
    )


def sorted_carers(carers: Iterable[Carer]) -> list[Carer]:
    """``carers`` by name, sorted in Python: their names are encrypted."""
    return sorted(carers, key=lambda carer: (sort_key(carer.full_name), carer.pk))


def _yes_no(value: object) -> str:
    return gettext("Yes") if value else gettext("No")


def _moment(value: datetime.datetime | None) -> str:
    if value is None:
        return "—"
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _language_name(code: str) -> str:
    if not code:
        return gettext("The patient's language")
    return str(dict(LANGUAGES).get(code, code))


# What the consent history shows of each change, in this order: the field, its
# label and how a value reads. Contact details stay masked; consent_recorded_*
# are the "who" and "when" of the row itself.
_HISTORY_FIELDS: tuple[tuple[str, Any, Callable[[Any], str]], ...] = (
    ("share_summaries", gettext_lazy("Shares session summaries"), _yes_no),
    ("share_ratings", gettext_lazy("Shares ratings"), _yes_no),
    ("consent_withdrawn_at", gettext_lazy("Consent withdrawn"), _moment),
    ("invited_at", gettext_lazy("Invitation sent"), _moment),
    (
        "user_id",
        gettext_lazy("Sign-in account"),
        lambda v: gettext("Linked") if v else gettext("None"),
    ),
    ("full_name", gettext_lazy("Name"), lambda v: v or "—"),
    ("relationship", gettext_lazy("Relationship"), lambda v: v or "—"),
    ("email", gettext_lazy("Email address"), lambda v: mask_email(v) or "—"),
    ("phone", gettext_lazy("Mobile phone"), lambda v: mask_phone(v) or "—"),
    ("language", gettext_lazy("Carer's language"), _language_name),
)
_CONSENT_FIELDS = {"share_summaries", "share_ratings", "consent_withdrawn_at"}
_BLANK = {"share_summaries": False, "share_ratings": False}


def carer_consent_history(carer: Carer) -> list[dict[str, Any]]:
    """Every recorded change of ``carer``, newest first: when, who, and each
    changed field as ``(label, before, after)`` in words (contact details
    masked). Two queries: the history rows and the people who made them."""
    records = list(carer.history.select_related("history_user").order_by("history_date", "pk"))
    entries = []
    previous = None
    for record in records:
        changes = []
        for field, label, show in _HISTORY_FIELDS:
            after = getattr(record, field)
            before = getattr(previous, field) if previous else _BLANK.get(field)
            if before != after and not (previous is None and not after):
                changes.append(
                    {
                        "label": label,
                        "before": show(before) if previous else None,
                        "after": show(after),
                        "consent": field in _CONSENT_FIELDS,
                    }
                )
        if changes or previous is None:
            user = record.history_user
            entries.append(
                {
                    "when": record.history_date,
                    "who": str(user) if user else None,
                    "added": previous is None,
                    "changes": changes,
                    "consent": any(change["consent"] for change in changes),
                }
            )
        previous = record
    entries.reverse()
    return entries


def patient_get_for_audit(user: User | AnonymousUser, code: str) -> tuple[Patient, bool]:
    """``(patient, reads_clinical)`` for a patient whose audit pages ``user`` may open.

    ``reads_clinical`` is True for the patient's clinicians, False for the admin
    of the patient's clinic (who sees who did what, never clinical values).
    Anything else, missing or foreign, is a 404.
    """
    if not user.is_authenticated:
        raise Http404
    patient = patients_visible_to(user).select_related("clinic").filter(code=code).first()
    if patient is not None:
        return patient, True
    admin_of = Membership.objects.filter(
        user=user, is_active=True, role=Membership.Role.ADMIN
    ).values("clinic_id")
    patient = (
        Patient.objects.select_related("clinic").filter(code=code, clinic_id__in=admin_of).first()
    )
    if patient is None:
        raise Http404
    return patient, False


# --- handing a clinician's patients to a colleague (the staff pages) -----------


def key_patients_count(clinic: Clinic, user: User) -> int:
    """How many of ``clinic``'s patients have ``user`` as key clinician."""
    return Patient.objects.filter(clinic=clinic, key_clinician=user).count()


def reassign_sources(clinic: Clinic) -> QuerySet[User]:
    """Whose patients an admin may hand over: the clinic's clinicians, active or
    not, and anyone else still key clinician of one of its patients. Each has
    ``patient_count`` and ``active_here``; those with patients come first."""
    patients = Patient.objects.filter(clinic=clinic)
    clinicians = Membership.objects.filter(clinic=clinic, role=Membership.Role.CLINICIAN)
    counts = (
        patients.filter(key_clinician=OuterRef("pk"))
        .order_by()
        .values("key_clinician")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        get_user_model()
        .objects.filter(
            Q(pk__in=clinicians.values("user_id"))
            | Q(pk__in=patients.filter(key_clinician__isnull=False).values("key_clinician_id"))
        )
        .annotate(
            patient_count=Coalesce(Subquery(counts), 0),
            active_here=Exists(
                Membership.objects.filter(
                    clinic=clinic, user=OuterRef("pk"), is_active=True, user__is_active=True
                )
            ),
        )
        .order_by("-patient_count", "full_name", "email")
    )


def reassign_source_get_for_admin(admin: User | AnonymousUser, user_pk: int) -> User:
    """A user whose patients ``admin`` may hand over (see ``reassign_sources``), or a 404."""
    clinic = admins_clinic_for(admin, user_pk)
    try:
        return reassign_sources(clinic).get(pk=user_pk)
    except get_user_model().DoesNotExist as exc:
        raise Http404 from exc


def key_patients_of(clinic: Clinic, user: User) -> QuerySet[Patient]:
    """``clinic``'s patients whose key clinician is ``user`` (a query: a form
    validates against it; its choices list them by name, ``PatientChoiceField``)."""
    return Patient.objects.filter(clinic=clinic, key_clinician=user).order_by("code")
