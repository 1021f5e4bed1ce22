"""Template helpers for plans: status badge classes and counts by status category."""

from django import template

from trygg.plans.choices import StatusCategory

register = template.Library()

BADGE = {
    StatusCategory.NOT_STARTED: "badge--not-started",
    StatusCategory.ONGOING: "badge--ongoing",
    StatusCategory.DONE: "badge--done",
    StatusCategory.CANCELLED: "badge--cancelled",
}


@register.filter
def badge_class(category) -> str:
    """The badge modifier of a status category ("done" → "badge--done")."""
    return BADGE.get(category, "")


@register.filter
def category_label(category) -> str:
    try:
        return StatusCategory(category).label
    except ValueError:
        return ""


@register.filter
def count_of(counts, category) -> int:
    return (counts or {}).get(category, 0)


@register.simple_tag
def categories():
    return [c for c in StatusCategory]


@register.filter
def action_blocks(text: str) -> list[dict]:
    """The lines of an action as paragraphs and lists ("• " lines form a list)."""
    blocks: list[dict] = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("• "):
            if not blocks or blocks[-1]["kind"] != "list":
                blocks.append({"kind": "list", "items": []})
            blocks[-1]["items"].append(line[2:])
        else:
            blocks.append({"kind": "text", "text": line})
    return blocks


def _writer(context):
    """The overview's row writer (plans.overview), set up once per page."""
    from trygg.plans.overview import RowWriter

    writer = context.render_context.get("plans.rows")
    if writer is None:
        view = context.get("view")
        writer = context.render_context["plans.rows"] = RowWriter(
            states=getattr(view, "target_states", {}),
            can_change_plan=getattr(view, "can_change_plan", False),
        )
    return writer


@register.simple_tag(takes_context=True)
def measure_rows(context, activities):
    """The plan page's table rows of one focus area's activities and their measures."""
    return _writer(context).rows(activities)


@register.simple_tag(takes_context=True)
def focus_area_sections(context, focus_areas):
    """The plan page's sections, one per focus area, with their tables of measures (kept in
    the cache with the plan's reading, when the page is not filtered)."""
    reading_key = getattr(context.get("view"), "reading_key", None)
    if reading_key:
        return _writer(context).kept_sections(focus_areas, reading_key)
    return _writer(context).sections(focus_areas)


@register.simple_tag(takes_context=True)
def loose_measure_rows(context, measures):
    """The plan page's table rows of the measures without an activity."""
    return _writer(context).loose(measures)
