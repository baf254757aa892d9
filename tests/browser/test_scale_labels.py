"""The rating scale's labels never break inside a word, in any language (issue 9, 9a).

Serbian showed "незадовољ/ни" split over two lines and the midpoint over five.
Each word of each label is measured as the browser laid it out: a word whose
range covers more than one line box was broken.
"""

import pytest

from accounts.models import User
from dialogplus.languages import LANGUAGE_CODES
from patients.models import Patient
from sessions_app import services
from sessions_app.models import DialogSession

from .conftest import DEMO_CLINICIAN

pytestmark = pytest.mark.browser

SIZES = [{"width": 768, "height": 1024}, {"width": 360, "height": 640}]

# For each label: its words that the layout split over lines, and whether the
# label sits inside its button.
MEASURE = """
() => [...document.querySelectorAll('#rate-card .scale-btn .lbl')].map((label) => {
  const broken = [];
  for (const node of label.childNodes) {
    if (node.nodeType !== Node.TEXT_NODE) continue;
    for (const match of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const tops = new Set(
        [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
      );
      if (tops.size > 1) broken.push(match[0]);
    }
  }
  const box = label.getBoundingClientRect();
  const button = label.closest('button').getBoundingClientRect();
  return {
    text: label.textContent,
    broken,
    inside: box.left >= button.left - 0.5 && box.right <= button.right + 0.5,
  };
})
"""


def _problems(tablet, path, where):
    tablet.goto(path)
    labels = tablet.page.evaluate(MEASURE)
    assert len(labels) == 7, where
    problems = [f"{where}: {x['text']!r} breaks {x['broken']}" for x in labels if x["broken"]]
    problems += [f"{where}: {x['text']!r} overflows its button" for x in labels if not x["inside"]]
    width = tablet.page.evaluate("document.documentElement.scrollWidth")
    if width > tablet.page.viewport_size["width"]:
        problems.append(f"{where}: the page is {width}px wide")
    tablet.console.assert_clean(where)
    return problems


def test_no_scale_label_breaks_inside_a_word_in_any_language_or_width(demo, new_tablet):
    clinician = User.objects.get(email=DEMO_CLINICIAN)
    patient = Patient.objects.filter(key_clinician=clinician, sessions__isnull=True).first()
    session = services.session_start(
        patient=patient, clinician=clinician, attendance=DialogSession.Attendance.ALONE
    ).session
    path = f"/sessions/{session.code}/rate/4/"
    tablet = new_tablet("labels")
    tablet.login()
    problems = []
    # The clinician's screen, in the clinician's language, at tablet size.
    for language in LANGUAGE_CODES:
        clinician.language = language
        clinician.save(update_fields=["language"])
        problems += _problems(tablet, path, f"clinician {language} at 768px")
    clinician.language = "en"
    clinician.save(update_fields=["language"])

    # Handed over: the patient's language, on a tablet and on a phone-sized screen.
    tablet.goto(path)
    tablet.tap(tablet.page.get_by_role("button", name="Hand the tablet to the patient"))
    tablet.page.wait_for_url("**/rate/1/")
    for language in LANGUAGE_CODES:
        patient.language = language
        patient.save(update_fields=["language"])
        for size in SIZES:
            tablet.page.set_viewport_size(size)
            where = f"patient {language} at {size['width']}px"
            problems += _problems(tablet, path, where)
            assert tablet.page.locator("html").get_attribute("lang") == language, where
    assert not problems, "\n".join(problems)
