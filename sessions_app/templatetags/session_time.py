"""The session clock and who worked on a session, for the templates that show them.

A tag rather than view context, so the summary gets the block with one include
line (templates/sessions_app/_session_time.html).
"""

from django import template
from django.conf import settings

from ..active_time import minutes, stage_times
from ..selectors import session_contributors

register = template.Library()


@register.simple_tag
def session_time_for(session):
    """The clock's minutes, per stage, and the clinicians in order (two queries)."""
    return {
        "minutes": minutes(session.active_seconds),
        "stages": stage_times(session),
        "contributors": session_contributors(session),
    }


@register.simple_tag
def session_idle_gap_seconds():
    return settings.DIALOGPLUS_SESSION_IDLE_GAP_SECONDS
