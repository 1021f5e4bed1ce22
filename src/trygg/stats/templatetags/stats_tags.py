"""Template filters for statistics: values by unit, changes, ratios and intervals."""

from __future__ import annotations

import math

from django import template
from django.utils.translation import gettext as _

from trygg.core.formatting import format_change, format_number, format_percent

register = template.Library()

MISSING = "–"


@register.filter
def stat_value(value, unit="count"):
    """A value in its unit: 1 259 · 83,5 % · 786,0. Missing stays missing, never 0."""
    if value is None or value == "":
        return MISSING
    integral = float(value) == int(float(value))
    if unit == "percent":
        return format_percent(value, 0 if integral else 1)
    if unit == "per_100k":
        return format_number(value, 1)
    return format_number(value, 0 if integral else 1)


@register.filter
def missing_value(observation_or_symbol):
    """The symbol of a missing value (".."), or a dash."""
    symbol = getattr(observation_or_symbol, "symbol", observation_or_symbol)
    return symbol or MISSING


@register.filter
def change(value, unit="percent"):
    """+46 % · −72 % · +2,2 procentenheter · +1 234 (the difference of a net figure)."""
    if value is None:
        return MISSING
    if unit == "points":
        text = format_change(value, 1).replace("\u00a0%", "")
        return _("%(change)s percentage points") % {"change": text}
    if unit == "difference":
        # A net figure: the difference itself, with its sign (+1 234, −56).
        integral = float(value) == int(float(value))
        text = format_change(value, 0 if integral else 1).replace("\u00a0%", "")
        return text
    return format_change(value, 1)


@register.filter
def short_category(name):
    """Brå's categories repeat their parents' names ("Brott mot brottsbalken, 8-12 kap. …,
    12 kap. Skadegörelsebrott"); a column shows the last part, the full name is its title."""
    if not name:
        return name
    return name.rsplit(", ", 1)[-1]


@register.filter
def rate(value, decimals=1):
    if value is None:
        return MISSING
    return format_number(value, int(decimals))


@register.filter
def ratio(value):
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    return format_number(value, 2)


@register.filter
def share(value):
    if value is None:
        return MISSING
    return format_percent(value, 1)
