"""Pages of a patient search: the searched name stays out of every URL."""

import re

import pytest
from django.urls import reverse

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

LIST = reverse("patients:list")


@pytest.fixture
def many_jovanas(clinic, clinician):
    PatientFactory.create_batch(55, clinic=clinic, key_clinician=clinician, full_name="Jovana Test")


def test_the_next_page_of_a_search_is_asked_for_by_post(clinician_client, many_jovanas):
    first = clinician_client.post(LIST, {"q": "Jovana"}).content.decode()

    assert 'action="?page=2"' in first
    assert 'name="q" value="Jovana"' in first
    assert not re.search(r'href="[^"]*Jovana', first)

    second = clinician_client.post(f"{LIST}?page=2", {"q": "Jovana"})

    assert len(second.context["page_obj"].object_list) == 5
    assert second.context["query"] == "Jovana"


def test_an_unsearched_list_pages_by_plain_links(clinician_client, many_jovanas):
    page = clinician_client.get(LIST).content.decode()

    assert 'href="?page=2"' in page
