"""Patients' and carers' names at rest: encrypted, yet the patient search works.

A leaked backup must not list who is a psychiatric patient at which clinic.
The tests read the raw columns with SQL, as someone holding a copy of the
database would, and search as a clinician types: the beginning of a word, in
any case, with or without accents, in Cyrillic or Latin letters.
"""

import io

import pytest
from cryptography.fernet import Fernet
from django.apps import apps as django_apps
from django.contrib import admin
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dialogplus.encryption import TOKEN_PREFIX
from patients.models import Carer, Patient, PatientNameToken
from patients.name_index import name_digests, patient_named
from patients.selectors import patient_list_for_user, patients_search_for_admin
from records.erasure import patient_erase
from tests.factories import CarerFactory, PatientFactory

pytestmark = pytest.mark.django_db

PATIENT = "Đorđe Čolić-Marković"
CYRILLIC = "Марија Петровић"
CARER = "Zorica Čolić"
RELATIONSHIP = "mother"


def raw_values(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - names are constants
        return [row[0] for row in cursor.fetchall()]


def raw_rows(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - names are constants
        return [" ".join(str(value) for value in row) for row in cursor.fetchall()]


@pytest.fixture
def named(clinic, clinician, patient):
    """Two patients with names that need normalising, one with a carer; each
    renamed once, so the history holds the old names too."""
    first = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="Djordje Old")
    first.full_name = PATIENT
    first.save()
    second = PatientFactory(clinic=clinic, key_clinician=clinician, full_name=CYRILLIC)
    carer = CarerFactory(patient=first, full_name="Zorica Old", relationship="aunt")
    carer.full_name = CARER
    carer.relationship = RELATIONSHIP
    carer.save()
    return {"first": first, "second": second, "carer": carer}


def found(user, query):
    return [p.full_name for p in patient_list_for_user(user, query=query)]


PLAIN_NAMES = [PATIENT, "Djordje Old", CYRILLIC, CARER, "Zorica Old", "Čolić", "Петровић"]


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("patients_patient", "full_name"),
        ("patients_historicalpatient", "full_name"),
        ("patients_carer", "full_name"),
        ("patients_carer", "relationship"),
        ("patients_historicalcarer", "full_name"),
        ("patients_historicalcarer", "relationship"),
    ],
)
def test_a_database_copy_shows_no_name_or_relationship(named, table, column):
    stored = [value for value in raw_values(table, column) if value]

    assert stored, f"nothing written to {table}.{column}"
    assert all(value.startswith(TOKEN_PREFIX) for value in stored), stored
    for value in stored:
        assert not any(name.casefold() in value.casefold() for name in PLAIN_NAMES)
        assert "aunt" not in value and RELATIONSHIP not in value


def test_the_name_index_holds_only_keyed_hashes(named):
    rows = raw_rows("patients_patientnametoken")
    digests = raw_values("patients_patientnametoken", "digest")

    assert rows
    assert all(len(digest) == 64 and int(digest, 16) >= 0 for digest in digests)
    for row in rows:
        for word in ["djordje", "colic", "markovic", "marija", "petrovic", "dj", "mar"]:
            assert word not in row.casefold()


def test_the_app_reads_the_names_in_clear(named):
    assert Patient.objects.get(pk=named["first"].pk).full_name == PATIENT
    carer = Carer.objects.get(pk=named["carer"].pk)
    assert (carer.full_name, carer.relationship) == (CARER, RELATIONSHIP)
    assert [h.full_name for h in Patient.history.filter(id=named["first"].pk)] == [
        PATIENT,
        "Djordje Old",
    ]


@pytest.mark.parametrize(
    "query",
    [
        "djor",  # the beginning of a word, without the letter đ
        "dor",  # đ typed as d
        "ĐORĐE",  # upper case, with the letter
        "colic",  # without accents
        "čolić-mark",  # the parts of a hyphenated surname
        "colicmarkovic",  # or written together
        "mark đor",  # every word typed, in any order
        "Ђорђе",  # in Cyrillic
    ],
)
def test_search_finds_a_name_by_the_beginning_of_its_words(named, clinician, query):
    assert found(clinician, query) == [PATIENT]


@pytest.mark.parametrize("query", ["mari", "MARIJA", "petrov", "Петров", "mar pet"])
def test_a_name_in_cyrillic_is_found_in_either_script(named, clinician, query):
    assert found(clinician, query) == [CYRILLIC]


@pytest.mark.parametrize("query", ["orđe", "arković", "djordje x", "old"])
def test_search_does_not_find_what_no_word_begins_with(named, clinician, query):
    # "old" was the name once: the index follows the name as it is now.
    assert found(clinician, query) == []


def test_the_admins_search_uses_the_index_too(named, clinic_admin):
    assert [p.full_name for p in patients_search_for_admin(clinic_admin, "petrović")] == [CYRILLIC]


def test_the_superusers_admin_search_finds_by_name_or_code(named):
    model_admin = admin.site._registry[Patient]
    request = RequestFactory().get("/")
    by_name, _ = model_admin.get_search_results(request, Patient.objects.all(), "colic")
    code = named["second"].code
    by_code, _ = model_admin.get_search_results(request, Patient.objects.all(), code)

    assert list(by_name) == [named["first"]]
    assert list(by_code) == [named["second"]]


def test_the_list_is_sorted_by_name_with_queries_not_growing(clinic, clinician):
    for name in ["Željko Žic", "Ana Zec", "Čedo Car", "Bora Bek"]:
        PatientFactory(clinic=clinic, key_clinician=clinician, full_name=name)
    few = list(patient_list_for_user(clinician))
    with CaptureQueriesContext(connection) as first:
        list(patient_list_for_user(clinician))
    for n in range(30):
        PatientFactory(clinic=clinic, key_clinician=clinician, full_name=f"Extra {n}")
    with CaptureQueriesContext(connection) as second:
        rows = list(patient_list_for_user(clinician))

    # Accents do not split the alphabet: Č with C, Ž with Z.
    assert [p.full_name for p in few] == ["Ana Zec", "Bora Bek", "Čedo Car", "Željko Žic"]
    assert len(second) == len(first) == 2
    assert len(rows) == 34


def test_a_page_of_the_list_reads_one_page(clinic, clinician, clinician_client):
    for n in range(60):
        PatientFactory(clinic=clinic, key_clinician=clinician, full_name=f"Name {n:02d}")

    response = clinician_client.get(reverse("patients:list"))

    page = response.context["patients"]
    assert len(page) == 50
    assert page[0].full_name == "Name 00" and hasattr(page[0], "delivered")


def test_key_rotation_reencrypts_names_and_keeps_search_working(named, clinician, settings):
    old_key = settings.DIALOGPLUS_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    names_before = set(raw_values("patients_patient", "full_name"))
    carers_before = set(raw_values("patients_historicalcarer", "relationship"))
    digests_before = set(raw_values("patients_patientnametoken", "digest"))

    settings.DIALOGPLUS_ENCRYPTION_KEYS = [new_key, old_key]
    # Before the rotation runs, the index under the old key still answers.
    assert found(clinician, "colic") == [PATIENT]
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)

    assert "patients.Patient: 3 row(s) re-encrypted" in out.getvalue()
    assert "Name index: 3 patient(s) re-indexed" in out.getvalue()
    assert set(raw_values("patients_patient", "full_name")).isdisjoint(names_before)
    assert set(raw_values("patients_historicalcarer", "relationship")).isdisjoint(carers_before)
    assert set(raw_values("patients_patientnametoken", "digest")).isdisjoint(digests_before)
    call_command("rotate_encryption_keys", "--check", stdout=io.StringIO())
    # The old key dropped: names read, search finds, with the new key alone.
    settings.DIALOGPLUS_ENCRYPTION_KEYS = [new_key]
    assert found(clinician, "colic") == [PATIENT]
    assert found(clinician, "Петров") == [CYRILLIC]
    assert Carer.objects.get(pk=named["carer"].pk).relationship == RELATIONSHIP


def test_rotation_check_counts_an_index_under_an_older_key(named, settings):
    settings.DIALOGPLUS_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.DIALOGPLUS_ENCRYPTION_KEYS,
    ]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    # An index row left under an older key (say, restored from a backup).
    PatientNameToken.objects.filter(patient=named["second"]).update(key_tag="0" * 16)
    out = io.StringIO()

    with pytest.raises(SystemExit):
        call_command("rotate_encryption_keys", "--check", stdout=out)

    assert "Name index: 1 patient(s) indexed under an older key" in out.getvalue()


def test_erasure_removes_the_patients_index_rows(named, clinic_admin, clinician):
    patient = named["first"]
    assert PatientNameToken.objects.filter(patient=patient).exists()

    patient_erase(patient=patient, by=clinic_admin)

    assert not PatientNameToken.objects.filter(patient=patient).exists()
    assert found(clinician, "colic") == []
    assert found(clinician, patient.code) == [f"Pseudonymised patient {patient.code}"]
    # The neighbour keeps theirs.
    assert found(clinician, "petrov") == [CYRILLIC]


def test_patient_named_finds_the_exact_name_only(named):
    assert patient_named(CYRILLIC) == named["second"]
    with pytest.raises(Patient.DoesNotExist):
        patient_named("Марија")


def test_a_name_of_only_punctuation_has_no_index_rows_and_breaks_nothing(clinic, clinician):
    patient = PatientFactory(clinic=clinic, key_clinician=clinician, full_name="?? --")

    assert name_digests(patient.full_name) == set()
    assert found(clinician, "--") == []
    assert found(clinician, patient.code) == ["?? --"]


def _migration():
    from importlib import import_module

    return import_module("patients.migrations.0004_encrypt_existing_names")


def test_the_migration_encrypts_names_written_in_clear_and_builds_the_index(named, clinician):
    patient = named["first"]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE patients_patient SET full_name = %s WHERE id = %s", ["Plain Pero", patient.pk]
        )
        cursor.execute("UPDATE patients_historicalcarer SET relationship = %s", ["brother"])
    PatientNameToken.objects.all().delete()

    _migration().encrypt_existing(django_apps, None)

    assert all(v.startswith(TOKEN_PREFIX) for v in raw_values("patients_patient", "full_name"))
    assert not any("brother" in v for v in raw_values("patients_historicalcarer", "relationship"))
    assert found(clinician, "pero") == ["Plain Pero"]
    assert found(clinician, "mari") == [CYRILLIC]


def test_the_migration_backwards_writes_the_names_back_in_clear(named):
    _migration().decrypt_existing(django_apps, None)

    assert PATIENT in raw_values("patients_patient", "full_name")
    assert RELATIONSHIP in raw_values("patients_carer", "relationship")
    assert CARER in raw_values("patients_historicalcarer", "full_name")
    assert not PatientNameToken.objects.exists()
