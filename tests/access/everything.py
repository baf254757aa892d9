"""The whole access matrix: every area's rows, and every fixture they use.

A test module that needs the matrix star-imports this module, which brings
the rows' fixtures into its namespace where pytest finds them.
"""

from tests.access.audit import *  # noqa: F403
from tests.access.audit import ROWS as AUDIT_ROWS
from tests.access.carers import *  # noqa: F403
from tests.access.carers import ROWS as CARER_ROWS
from tests.access.core import *  # noqa: F403
from tests.access.core import ROWS as CORE_ROWS
from tests.access.pdf import *  # noqa: F403
from tests.access.pdf import ROWS as PDF_ROWS
from tests.access.rating_link import *  # noqa: F403
from tests.access.rating_link import ROWS as RATING_LINK_ROWS
from tests.access.records import *  # noqa: F403
from tests.access.records import ROWS as RECORD_ROWS
from tests.access.reminders import *  # noqa: F403
from tests.access.reminders import ROWS as REMINDER_ROWS
from tests.access.staff import *  # noqa: F403
from tests.access.staff import ROWS as STAFF_ROWS
from tests.access.two_factor import *  # noqa: F403
from tests.access.two_factor import ROWS as TWO_FACTOR_ROWS
from tests.access.wording import *  # noqa: F403
from tests.access.wording import ROWS as WORDING_ROWS

MATRIX = (
    CORE_ROWS
    + AUDIT_ROWS
    + CARER_ROWS
    + PDF_ROWS
    + RATING_LINK_ROWS
    + RECORD_ROWS
    + REMINDER_ROWS
    + STAFF_ROWS
    + TWO_FACTOR_ROWS
    + WORDING_ROWS
)
