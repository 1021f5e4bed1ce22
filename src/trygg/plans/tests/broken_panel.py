"""A panel module whose own import fails: used to check that such errors are not hidden."""

import trygg.does_not_exist  # noqa: F401


def measure_panel(request, measure):
    return ""
