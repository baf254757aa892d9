"""No patient data left in a shared tablet's browser: no cache, no htmx history.

Every page of the access matrix that a clinician (or the carer) opens is
checked, so a new patient or session page is covered by adding its row.
"""

import json
import re

import pytest
from _pytest.fixtures import FixtureFunctionDefinition
from django.urls import reverse

from tests import test_access_matrix as matrix

pytestmark = pytest.mark.django_db

# The matrix's world fixtures (open_session, completed, …), usable here by name.
globals().update(
    {
        name: value
        for name, value in vars(matrix).items()
        if isinstance(value, FixtureFunctionDefinition)
    }
)

PAGES = [
    (persona, row)
    for row in matrix.MATRIX
    for persona in ("clinician", "carer_with_consent")
    if row.method == "get" and row.expected[persona] == matrix.OK
]


@pytest.mark.parametrize(
    ("persona", "row"), PAGES, ids=[f"{persona}-{row.id}" for persona, row in PAGES]
)
def test_signed_in_pages_are_never_stored(client_for, world, persona, row):
    url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
    response = client_for(persona).get(url)
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives, response["Cache-Control"]


def test_patient_and_session_pages_are_in_the_check():
    names = {row.name.split(":")[0] for _persona, row in PAGES}
    assert {"patients", "sessions"} <= names


def test_htmx_keeps_no_history_snapshots_in_local_storage(client_for):
    # htmx copies pages into localStorage for its history cache unless its size is 0.
    page = client_for("clinician").get(reverse("patients:list")).content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", page)
    assert config, "htmx-config meta missing"
    assert json.loads(config.group(1))["historyCacheSize"] == 0
