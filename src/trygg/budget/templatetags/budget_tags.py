"""Template filters for budget variances: amounts and percentages with an explicit sign."""

from __future__ import annotations

from django import template

from trygg.core.formatting import format_change, format_money

register = template.Library()


@register.filter
def signed_money(value, style="kr"):
    """+150 000 kr · −200 000 kr · 0 kr"""
    if value in (None, ""):
        return "–"
    text = format_money(value, style=style)
    return "+" + text if value > 0 and not text.startswith("0") else text


@register.filter
def signed_percent(value, decimals=1):
    """+12,5 % · −14,3 %"""
    if value in (None, ""):
        return "–"
    return format_change(value, int(decimals))
