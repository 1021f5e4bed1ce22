"""Panels other apps add to the measure page (linked decisions, funding …).

Each entry is the dotted path of a function ``(request, measure) -> safe HTML string``. An
entry whose module is not there (the app is not built or not installed) is skipped; any
other import error is a bug and is raised.
"""

from __future__ import annotations

import importlib

from django.utils.safestring import SafeString, mark_safe

MEASURE_PANELS = [
    "trygg.forums.panels.measure_panel",
    "trygg.budget.panels.measure_panel",
]


def _load(path: str):
    module_name, _dot, attribute = path.rpartition(".")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as error:
        # Only the panel's own module (or its app package) being absent is skipped.
        if error.name and (module_name == error.name or module_name.startswith(error.name + ".")):
            return None
        raise
    return getattr(module, attribute, None)


def render_measure_panels(request, measure, panels: list[str] | None = None) -> list[SafeString]:
    """The HTML of every panel that exists and has something to show."""
    rendered = []
    for path in MEASURE_PANELS if panels is None else panels:
        function = _load(path)
        if function is None:
            continue
        html = function(request, measure)
        if html:
            rendered.append(mark_safe(html))  # noqa: S308 – panels return escaped, safe HTML
    return rendered
