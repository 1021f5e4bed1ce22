"""Widgets of the lägesbild's forms."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> SafeString:
    """A widget's attributes as Django's attrs.html writes them."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class Select(forms.Select):
    """Django's select, written in Python: the same HTML as its select.html and
    select_option.html, without a template include per option (the filters of the
    lägesbild list every category and area on every view)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # A model field's choices are a query each time (and list() would ask len(): a count).
        choices = list(iter(self.choices))
        if any(isinstance(label, (list, tuple)) for _value, label in choices):
            return self._render_groups(name, value, attrs)
        # Without groups, straight from the choices: Django's optgroups() builds a dict of
        # a dozen entries per option (the measures of every plan on a problem's page).
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        chosen = set(widget["value"])
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))
        ]
        has_selected = False
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value)
            selected = (not has_selected or self.allow_multiple_selected) and text in chosen
            has_selected |= selected
            parts.append(
                '\n  <option value="'
                + conditional_escape(text)
                + ('" selected>' if selected else '">')
                + conditional_escape(cast(str, label))
                + "</option>"
            )
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - escaped above, and constants

    def _render_groups(self, name, value, attrs=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [
            format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>',
                        str(option["value"]),
                        _attrs(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - the parts are format_html()s and constants
