"""Template filters for Swedish number formats, status badges and small-count suppression."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.filter
def money(value, style="auto"):
    """1,6 mkr · 200 tkr · 1 234 567 kr"""
    if value in (None, ""):
        return "–"
    from trygg.core.formatting import format_money

    return format_money(value, style=style)


@register.filter
def number(value, decimals=0):
    if value in (None, ""):
        return "–"
    from trygg.core.formatting import format_number

    return format_number(value, int(decimals))


@register.filter
def percent(value, decimals=1):
    """83,5 % (the value is a percentage, not a fraction)."""
    if value in (None, ""):
        return "–"
    from trygg.core.formatting import format_percent

    return format_percent(value, int(decimals))


@register.filter
def suppress(value: int | str | None, detail_access: bool = False) -> int | str:
    """Small counts are shown as "<5" to anyone without detail access."""
    if value is None:
        return "–"
    threshold = settings.SMALL_COUNT_THRESHOLD
    if not detail_access and 0 < int(value) < threshold:
        return f"<{threshold}"
    return value


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.simple_tag
def history_url(obj):
    from django.urls import reverse

    return reverse("core:history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


@register.simple_tag
def map_attribution() -> str:
    """The base map's attribution (settings.MAP_TILE_ATTRIBUTION), shown on every map with tiles."""
    from django.conf import settings

    return settings.MAP_TILE_ATTRIBUTION if settings.MAP_TILE_URL else ""


@register.simple_tag(takes_context=True)
def table_cells(context, row) -> str:
    """The ``<td>`` cells of one row of core/_table.html, written here rather than by a
    template loop (a page of 50 rows has 350 cells): each value as ``{{ value }}`` would
    show it (localized, escaped), "–" for none, a link where the column has one. A table
    that writes its rows' cells itself in one pass gives them as the row's ``html``
    (incidents.tables.ValuesTable.rows)."""
    from django.template.base import render_value_in_context
    from django.utils.safestring import mark_safe

    if "html" in row:
        return row["html"]

    from trygg.core.renderers import template_text

    def shown(value) -> str:
        if type(value) is str and context.autoescape:  # most cells: no time zone to apply
            return template_text(value)
        return render_value_in_context(value, context)

    # Each column's opening once per rendering of the table, not once per row (its label is
    # a translated text, looked up again at every use).
    openings = context.render_context.setdefault("table_cells_openings", {})
    cells = []
    for cell in row["cells"]:
        column, value, link = cell["column"], cell["value"], cell["link"]
        text = "–" if value is None else shown(value)
        if link:
            text = f'<a href="{shown(link)}">{text}</a>'
        opening = openings.get(id(column))
        if opening is None:
            css = ' class="num"' if column.numeric else ""
            label = render_value_in_context(column.label, context)
            opening = openings[id(column)] = f'<td{css} data-label="{label}">'
        cells.append(f"{opening}{text}</td>")
    return mark_safe("\n      ".join(cells))  # noqa: S308 - every value escaped above


# The layout's header (base.html), written here rather than by template loops: every page has
# it, and the navigation's loops, conditions and lookups were about a third of rendering a
# simple page. The markup is exactly the template's (core/tests/test_layout_tags.py).


@register.simple_tag
def layout_url(name: str) -> str:
    """``{% url name %}`` for an address without arguments that the layout links to,
    reversed once per URL configuration and script prefix (core.context_processors)."""
    from trygg.core.context_processors import layout_url as address

    return address(name)


_STATIC: dict[tuple[str, str], str] = {}


@register.simple_tag
def layout_static(path: str) -> str:
    """``{% static path %}`` for the layout's own files (its style sheet, scripts and
    icon), found once per script prefix rather than on every page."""
    from django.templatetags.static import static
    from django.urls import get_script_prefix

    key = (get_script_prefix(), path)
    url = _STATIC.get(key)
    if url is None:
        url = _STATIC[key] = static(path)
    return url


def _navigation_list(items) -> str:
    from django.utils.html import conditional_escape

    return "".join(
        f'\n          <li><a href="{conditional_escape(item["url"])}"'
        + (' aria-current="page"' if item["current"] else "")
        + f">{conditional_escape(item['label'])}</a></li>\n          "
        for item in items
    )


@register.simple_tag(takes_context=True)
def main_navigation(context) -> str:
    """The menu button and the main navigation of a signed-in person's page (the context's
    ``nav_items`` and ``admin_nav_items``, core.context_processors.navigation)."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    user = context.get("user")
    items = context.get("nav_items")
    if not (user is not None and user.is_authenticated and items):
        return ""
    html = (
        "\n      "
        '<button type="button" class="menu-toggle" aria-expanded="false"'
        f' aria-controls="main-nav">{conditional_escape(gettext("Menu"))}</button>\n      '
        f'<nav aria-label="{conditional_escape(gettext("Main"))}" class="main-nav"'
        ' id="main-nav">\n        <ul>\n          '
        f"{_navigation_list(items)}\n        </ul>\n"
        '        <ul class="secondary">\n          '
        f"{_navigation_list(context.get('admin_nav_items') or [])}\n        </ul>\n"
        "      </nav>\n      "
    )
    return mark_safe(html)  # noqa: S308 - every value escaped above


@register.simple_tag(takes_context=True)
def language_buttons(context) -> str:
    """The language form's buttons: one for each language other than the page's."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    current = context.get("LANGUAGE_CODE")
    buttons = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        value = conditional_escape(code)
        label = "Svenska" if code == "sv" else "English"
        buttons.append(
            f'\n          <button type="submit" name="language" value="{value}"'
            f' class="link-button" lang="{value}">{label}</button>\n          '
        )
    return mark_safe("\n          " + "".join(buttons))  # noqa: S308 - escaped above


@register.simple_tag
def filter_fields(form, skip: str = "", help_text: bool = False) -> str:
    """The fields of a filter form (core/_filters.html), each in its ``div.field`` with its
    label, widget and errors (and with ``help_text``, its help text), written here rather
    than by a template loop, which cost as much as the widgets themselves. ``skip``: a
    field's name to leave out. Every value is escaped; the widgets write their own markup."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    parts = []
    for field in form:
        if field.name == skip:
            continue
        errors = field.errors
        help_html = ""
        if help_text and field.help_text:
            help_html = f'\n      <p class="help">{conditional_escape(field.help_text)}</p>'
        error_html = "".join(f'<p class="error">{conditional_escape(e)}</p>' for e in errors)
        parts.append(
            f'\n    <div class="field{" field--error" if errors else ""}">\n'
            f'      <label for="{conditional_escape(field.id_for_label)}">'
            f"{conditional_escape(field.label)}</label>\n"
            f"      {field}{help_html}\n"
            f"      {error_html}\n"
            f"    </div>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped, widgets escape theirs
