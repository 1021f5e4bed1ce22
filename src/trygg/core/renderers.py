"""The form renderer: Django's own templates, with the select widget written in Python.

A select of 300 kommuner or areas rendered through ``select.html`` includes
``select_option.html`` and ``attrs.html`` once per option: on a list page with a few such
filters that was half of the page's time. :meth:`Renderer.render` writes exactly what those
templates write (same markup, same escaping) for every select whose options use Django's
option template, and leaves any other widget to the templates.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """``{{ value }}`` in a template: localized, then escaped unless already safe."""
    return str(conditional_escape(localize(value)))


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{escape(value)}"')  # |stringformat:'s'
    return "".join(parts)


def render_select(widget: dict[str, Any]) -> str | None:
    """``select.html`` with its options, or None when an option has a template of its own."""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            out.append(
                f'\n  <option value="{escape(option["value"])}"'
                f"{_attrs(option['attrs'])}>{_text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class Renderer(DjangoTemplates):
    """``FORM_RENDERER``: Django's templates, the select widget in Python."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT and "widget" in context:
            html = render_select(context["widget"])
            if html is not None:
                return mark_safe(html.strip())  # noqa: S308 - every value escaped above
        return super().render(template_name, context, request=request)
