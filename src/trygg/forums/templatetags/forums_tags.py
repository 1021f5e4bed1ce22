"""Template helpers of the forums app: sanitised formatted text and links to plan measures."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch
from django.utils.safestring import mark_safe

from trygg.forums import richtext

register = template.Library()


@register.filter
def rich(value) -> str:
    """Agenda and minutes: stored sanitised, and cleaned again here as a second line of defence."""
    return mark_safe(richtext.sanitise(value))  # noqa: S308 - nh3 output


@register.filter
def measure_url(measure) -> str:
    """The measure's page, or an empty string where the plans pages are not installed."""
    try:
        return measure.get_absolute_url()
    except (NoReverseMatch, AttributeError):
        return ""


@register.filter
def is_overdue(decision) -> bool:
    return decision.is_overdue()
