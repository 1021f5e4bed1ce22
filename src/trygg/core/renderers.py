"""The form renderer: Django's own templates, with the common widgets written in Python.

A select of 300 kommuner or areas rendered through ``select.html`` includes
``select_option.html`` and ``attrs.html`` once per option: on a list page with a few such
filters that was half of the page's time; on a form page, the text, date, number and
checkbox inputs and the text areas (two or three templates each) were a fifth of it.
:meth:`Renderer.render` writes exactly what those templates write (same markup, same
escaping) for every select whose options use Django's option template, every input whose
template only includes ``input.html``, and the text area, and leaves any other widget to
the templates.
"""

from __future__ import annotations

import html
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
SELECT = WIDGETS + "select.html"
OPTION = WIDGETS + "select_option.html"
TEXTAREA = WIDGETS + "textarea.html"
# Checkboxes and radio buttons: ``multiple_input.html`` with one option template per choice.
MULTIPLE = {WIDGETS + "checkbox_select.html", WIDGETS + "radio.html"}
OPTIONS = {WIDGETS + "checkbox_option.html", WIDGETS + "radio_option.html"}
# The widget templates that are ``{% include "django/forms/widgets/input.html" %}`` alone.
INPUTS = {
    WIDGETS + name + ".html"
    for name in [
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    ]
}


def template_text(value: Any) -> str:
    """``{{ value }}`` in a template: localized, then escaped unless already safe (every
    value that the product writes into HTML in Python rather than by a template)."""
    if type(value) is str:  # a plain text (most labels): what escape() does, without its
        return html.escape(value)  # checks for lazy and safe values, once per option
    return str(conditional_escape(localize(value)))


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe value safe."""
    if type(value) is str:
        return html.escape(value)
    text = "%s" % (value,)  # noqa: UP031 - the filter's own formatting
    return text if isinstance(value, SafeData) else str(escape(text))


def _escaped(value: Any) -> str:
    """``escape(value)``: a plain text without the checks for lazy values."""
    return html.escape(value) if type(value) is str else str(escape(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {template_text(name)}")
        else:
            parts.append(f' {template_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def render_input(widget: dict[str, Any]) -> str:
    """``input.html``."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    return (
        f'<input type="{template_text(widget["type"])}" name="{template_text(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def render_textarea(widget: dict[str, Any]) -> str:
    """``textarea.html``."""
    value = template_text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{template_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def render_select(widget: dict[str, Any]) -> str | None:
    """``select.html`` with its options, or None when an option has a template of its own."""
    out = [f'<select name="{template_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{template_text(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != OPTION:
                return None
            out.append(
                f'\n  <option value="{_escaped(option["value"])}"'
                f"{_attrs(option['attrs'])}>{template_text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _input_option(option: dict[str, Any]) -> str:
    """``input_option.html`` (with the line end of each file it includes)."""
    html = render_input(option) + "\n"
    if option.get("wrap_label"):
        target = option["attrs"].get("id")
        label_for = f' for="{template_text(target)}"' if target else ""
        html = f"<label{label_for}>{html} {template_text(option['label'])}</label>"
    return html + "\n"


def render_multiple(widget: dict[str, Any]) -> str | None:
    """``multiple_input.html`` with its checkboxes or radio buttons, or None when an option
    has a template of its own."""
    target, css = widget["attrs"].get("id"), widget["attrs"].get("class")
    out = ["<div"]
    if target:
        out.append(f' id="{template_text(target)}"')
    if css:
        out.append(f' class="{template_text(css)}"')
    out.append(">")
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f"\n  <div><label>{template_text(group_name)}</label>")
        for option in group_choices:
            if option.get("template_name") not in OPTIONS:
                return None
            out.append(f"<div>\n    {_input_option(option)}\n</div>")
        if group_name:
            out.append("\n  </div>")
    out.append("\n</div>")
    return "".join(out)


class Renderer(DjangoTemplates):
    """``FORM_RENDERER``: Django's templates, the common widgets in Python."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if widget is not None:
            html: str | None = None
            if template_name == SELECT:
                html = render_select(widget)
            elif template_name in INPUTS:
                html = render_input(widget)
            elif template_name == TEXTAREA:
                html = render_textarea(widget)
            elif template_name in MULTIPLE:
                html = render_multiple(widget)
            elif template_name in OPTIONS:  # one option on its own: {{ option.tag }}
                html = _input_option(widget)
            if html is not None:
                return mark_safe(html.strip())  # noqa: S308 - every value escaped above
        return super().render(template_name, context, request=request)
