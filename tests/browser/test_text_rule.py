"""The text rule in the browser: the counter counts as the server does, and a
refused autosave says why and keeps what was typed (dialogplus/text.py)."""

import pytest
from playwright.sync_api import expect

from dialogplus.text import visible_length
from sessions_app import services
from sessions_app.models import Stage, StepNote

from .test_nothing_lost import open_session

pytestmark = pytest.mark.browser

SAMPLES = ["Walks 🐕 daily", "👩‍👩‍👧 🇷🇸 e\u0301", "مرحبا שלום", "line one\nline two"]


def test_the_counter_counts_as_the_server_and_a_refused_note_keeps_the_text(demo, new_tablet):
    session = open_session()
    job = session.scale_version.domains.get(key="job")
    (area,) = services.areas_select(session=session, domain_ids=[job.id])
    services.session_advance(session=session, stage=Stage.STEPS)

    tablet = new_tablet("text rule")
    page = tablet.page
    tablet.login()
    tablet.goto(f"/sessions/{session.code}/areas/{area.id}/step/1/")
    textarea = page.locator("#note-text-1")
    counter = page.locator("#note-text-1-counter")
    expect(counter).to_have_text("0 / 10000")

    # The page's own function, given the same texts as the server.
    for sample in SAMPLES:
        counted = page.evaluate("text => window.dialogplusVisibleLength(text)", sample)
        assert counted == visible_length(sample), sample

    textarea.fill("Walks 🐕 daily")
    expect(counter).to_have_text("13 / 10000")
    expect(page.locator("#note-status-1")).to_have_text("Saved", timeout=10_000)
    assert StepNote.objects.get(area=area, step=1).text == "Walks 🐕 daily"

    # A control character pasted in: refused with a message, the rest kept.
    tablet.console.allow(r"status of 422")
    textarea.fill("Walks\x1b the dog")
    status = page.locator("#note-status-1")
    expect(status).to_contain_text("invisible control character", timeout=10_000)
    expect(textarea).to_have_value("Walks the dog")
    assert StepNote.objects.get(area=area, step=1).text == "Walks 🐕 daily"
    tablet.check("step 1 with a refused note")

    # Over the limit: the counter says by how much; nothing is cut.
    long_text = "👍" * 10_005
    textarea.fill(long_text)
    expect(counter).to_have_text("10005 / 10000, shorten by 5")
    expect(status).to_contain_text("Keep this to 10000 characters", timeout=10_000)
    assert page.evaluate("() => document.getElementById('note-text-1').value") == long_text
    assert StepNote.objects.get(area=area, step=1).text == "Walks 🐕 daily"
