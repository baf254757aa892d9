"""``{% load text_limits %}{% text_limit 500 %}``: the counter's attributes
(dialogplus/text.py) on a field a template writes out by hand."""

from django import template
from django.forms.utils import flatatt

from . import text
from .text import limit_attrs

register = template.Library()


@register.simple_tag
def text_limit(limit):
    return flatatt(limit_attrs(limit))


@register.filter
def without_controls(value):
    """Typed text shown again after a refusal, less the refused characters."""
    return text.without_controls(value) if isinstance(value, str) else value
