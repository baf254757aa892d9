"""Access-matrix rows for the PDF summaries.

The clinician's PDF follows the printout's rule: the patient's clinicians, for
a session in any state. The carer's PDF follows the carer page's: the carer
with consent, completed sessions of their patient only. A PDF changes nothing,
so both answer GET only.
"""

from tests.access.common import (
    COMPLETED,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    OPEN,
    Row,
    _session,
    clinic_a_clinicians,
    expect,
    public,
)

PDF_OTHER_CLINICS = _session(lambda w: w.other_clinics_completed)
PDF_NEIGHBOURS = _session(lambda w: w.neighbours_completed)

ROWS = [
    Row("sessions:summary_pdf", clinic_a_clinicians(OK), kwargs=COMPLETED),
    Row("sessions:summary_pdf", clinic_a_clinicians(OK), kwargs=OPEN, variant="in progress"),
    Row(
        "sessions:summary_pdf",
        expect(NOT_FOUND, outsider=OK),
        kwargs=PDF_OTHER_CLINICS,
        variant="another clinic",
    ),
    Row("sessions:summary_pdf", public(NOT_ALLOWED), kwargs=COMPLETED, method="post"),
    Row(
        "sessions:carer_summary_pdf",
        expect(NOT_FOUND, carer_with_consent=OK),
        kwargs=COMPLETED,
        variant="shared",
    ),
    Row("sessions:carer_summary_pdf", expect(NOT_FOUND), kwargs=OPEN, variant="in progress"),
    Row(
        "sessions:carer_summary_pdf",
        expect(NOT_FOUND),
        kwargs=PDF_NEIGHBOURS,
        variant="another patient",
    ),
    Row(
        "sessions:carer_summary_pdf",
        expect(NOT_FOUND),
        kwargs=PDF_OTHER_CLINICS,
        variant="another clinic",
    ),
    Row("sessions:carer_summary_pdf", public(NOT_ALLOWED), kwargs=COMPLETED, method="post"),
]
