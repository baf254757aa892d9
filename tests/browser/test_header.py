"""The header on a tablet and a phone: names readable, buttons whole, in every language.

A long clinic name and the longest "Sign out" (Serbian "Одјавите се") once cut
the names and broke the button over two lines at 768 px.
"""

import os
from pathlib import Path

import pytest

from accounts.models import User
from dialogplus.languages import LANGUAGE_CODES

from .conftest import DEMO_CLINICIAN

pytestmark = pytest.mark.browser

# Set DIALOGPLUS_SCREENSHOTS to a folder to look at the headers as drawn.
SCREENSHOTS = os.environ.get("DIALOGPLUS_SCREENSHOTS")

# For the header, its blocks and every button and name in it: whether the
# content is wider than the box (cut or scrolled), and how many lines a
# button's label takes.
MEASURE = """() => {
  const header = document.querySelector("header.app-header");
  const boxes = [header, ...header.querySelectorAll("nav, .app-who, .app-actions, .btn, span")];
  const overflowing = boxes
    .filter((el) => el.scrollWidth > el.clientWidth + 1)
    .map((el) => `${el.className || el.tagName}: ${el.scrollWidth} > ${el.clientWidth}`);
  const lines = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    return tops.size;
  };
  const buttons = [...header.querySelectorAll(".btn")].map((el) => ({
    label: el.textContent.trim(),
    lines: lines(el),
    ellipsis: getComputedStyle(el).textOverflow === "ellipsis",
  }));
  const names = [...header.querySelectorAll(".app-clinic, .app-user")].map((el) => ({
    text: el.textContent.trim(),
    shown: el.innerText.trim(),
    clipped: el.scrollWidth > el.clientWidth + 1
      || getComputedStyle(el).textOverflow === "ellipsis",
  }));
  return {overflowing, buttons, names, pageWidth: document.documentElement.scrollWidth};
}"""


def assert_header_whole(tablet, where):
    found = tablet.page.evaluate(MEASURE)
    width = tablet.page.viewport_size["width"]
    assert not found["overflowing"], f"{where}: cut in the header: {found['overflowing']}"
    assert found["pageWidth"] <= width, f"{where}: the page is {found['pageWidth']}px wide"
    for button in found["buttons"]:
        assert button["lines"] == 1, f"{where}: {button['label']!r} wraps onto {button['lines']}"
        assert not button["ellipsis"], f"{where}: {button['label']!r} is cut"
    assert len(found["names"]) == 2, where
    for name in found["names"]:
        assert not name["clipped"], f"{where}: {name['text']!r} is cut"
        # Every word of the name is shown (wrapped between words, if need be).
        assert name["shown"].split() == name["text"].split(), where


@pytest.mark.parametrize("size", [(768, 1024), (360, 640)])
def test_the_header_keeps_names_readable_and_buttons_whole_in_every_language(
    demo, new_tablet, size
):
    clinician = User.objects.get(email=DEMO_CLINICIAN)
    clinic = clinician.memberships.get().clinic
    # The longest clinic name of the demo, and a long person's name.
    clinic.name = "Belgrade Community Mental Health Centre (demo), Zvezdara Outpatient Unit"
    clinic.save(update_fields=["name"])
    clinician.full_name = "Jelena Marković-Stojadinović"
    clinician.save(update_fields=["full_name"])
    tablet = new_tablet(f"header {size[0]}")
    tablet.page.set_viewport_size({"width": size[0], "height": size[1]})
    tablet.login()
    for language in LANGUAGE_CODES:
        clinician.language = language
        clinician.save(update_fields=["language"])
        tablet.goto("/patients/")
        assert tablet.page.locator("html").get_attribute("lang") == language
        assert_header_whole(tablet, f"{language} at {size[0]} px")
        if SCREENSHOTS:
            path = Path(SCREENSHOTS) / f"header-{size[0]}-{language}.png"
            tablet.page.locator("header.app-header").screenshot(path=path)
