"""``{% two_factor_status as tf %}``: the profile page's two-step sign-in summary."""

from django import template

from accounts.selectors import user_has_two_factor
from accounts.two_factor import services

register = template.Library()


@register.simple_tag(takes_context=True)
def two_factor_status(context):
    """Whether the signed-in person's two-step sign-in is on, and their backup codes left."""
    user = context["request"].user
    return {
        "enabled": user_has_two_factor(user),
        "required": services.two_factor_required(user),
        "codes_left": services.backup_codes_remaining(user),
    }
