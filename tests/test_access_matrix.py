"""The access matrix: every named URL × every persona → the expected answer.

The table is checked against the URLconf, so a URL without a row fails
`test_every_named_url_has_a_row_in_the_access_matrix`; add its row, in the
area's module under tests/access/, in the same commit. Each (row, persona) is
its own test and builds its own world, so a POST that changes something
(abandon, start, handover) starts from the same state for every persona.

Who is who (tests/conftest.py): `clinician` is `patient`'s key clinician in
clinic A; `colleague` works in clinic A too; `clinic_admin` manages clinic A;
`outsider` and `other_admin` belong to clinic B; the carers are `patient`'s.
"""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from tests.access.everything import *  # noqa: F403 - the rows' fixtures
from tests.access.everything import MATRIX
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

# URLs outside the app's own screens: Django's admin has its own permissions,
# and static files are served by WhiteNoise.
SKIPPED_PREFIXES = ("django-admin/", "static")


# --- the URLconf -------------------------------------------------------------------


def _walk(patterns, namespace=""):
    """``(name or None, route)`` of every URL pattern, namespaces joined with ':'."""
    for pattern in patterns:
        route = str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            for name, sub_route in _walk(pattern.url_patterns, inner):
                yield name, route + sub_route
        else:
            yield (namespace + pattern.name if pattern.name else None), route


def url_names():
    return {name for name, _route in _walk(get_resolver().url_patterns) if name}


def test_every_named_url_has_a_row_in_the_access_matrix():
    missing = sorted(url_names() - {row.name for row in MATRIX})

    assert not missing, f"URLs without a row in the access matrix: {', '.join(missing)}"


def test_every_url_is_named_so_the_matrix_can_see_it():
    unnamed = sorted(route for name, route in _walk(get_resolver().url_patterns) if not name)

    assert not unnamed, f"Unnamed URLs escape the access matrix: {', '.join(unnamed)}"


def test_the_matrix_names_no_url_that_is_gone():
    stale = sorted({row.name for row in MATRIX} - url_names())

    assert not stale, f"Rows for URLs that no longer exist: {', '.join(stale)}"


def test_the_matrix_walk_sees_the_session_flow():
    # Guards the walk itself: a walk that found nothing would pass the test above.
    assert {"home", "accounts:login", "patients:detail", "sessions:rate_item"} <= url_names()
    assert not any(name.startswith("admin:") for name in url_names())


# --- the matrix -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "persona"),
    [
        pytest.param(row, persona, id=f"{row.id}-{persona}")
        for row in MATRIX
        for persona in PERSONAS
    ],
)
def test_access_matrix(row, persona, world, client_for):
    url = reverse(row.name, kwargs=row.kwargs(world) if row.kwargs else None)
    client = client_for(persona)

    response = getattr(client, row.method)(url, row.data)

    row.expected[persona].check(response, url)
