"""Template filters of the generated documents."""

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def css_string(value) -> str:
    """Text for a CSS string (the PDF's running header): backslashes and quotes escaped."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    # Inside <style> nothing is HTML-decoded: "<" and "&" are written as CSS escapes.
    text = text.replace("<", "\\3C ").replace(">", "\\3E ").replace("&", "\\26 ")
    return mark_safe(text)  # noqa: S308 - escaped for a CSS string above
