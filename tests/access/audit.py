"""Access-matrix rows for the access log, change history and "who saw my record".

The clinic's access log is its admin's; a patient's change history and "who saw
this record" are for the patient's clinicians and the admin of the patient's
clinic. Carers, other clinics and everyone else get a 404.
"""

from tests.access.common import NOT_FOUND, OK, Row, expect

PATIENT = lambda w: {"code": w.patient.code}  # noqa: E731
OTHER_CLINICS_PATIENT = lambda w: {"code": w.other_patient.code}  # noqa: E731

# `patient` is clinic A's; `other_patient` is clinic B's.
CLINIC_A_AUDIT = expect(NOT_FOUND, clinician=OK, colleague=OK, clinic_admin=OK)
CLINIC_B_AUDIT = expect(NOT_FOUND, outsider=OK, other_admin=OK)

ROWS = [
    Row("audit:log", expect(NOT_FOUND, clinic_admin=OK, other_admin=OK)),
    Row("audit:history", CLINIC_A_AUDIT, kwargs=PATIENT),
    Row("audit:history", CLINIC_B_AUDIT, kwargs=OTHER_CLINICS_PATIENT, variant="clinic B"),
    Row("audit:access_report", CLINIC_A_AUDIT, kwargs=PATIENT),
    Row(
        "audit:access_report",
        CLINIC_B_AUDIT,
        kwargs=OTHER_CLINICS_PATIENT,
        variant="clinic B",
    ),
]
