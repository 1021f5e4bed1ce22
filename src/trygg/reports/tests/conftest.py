"""Fixtures of the reports tests: Nacka's demo (plans, forums, budget, statistics, lägesbild,
generated incident reports) loaded once per module, and helpers that read documents back."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

DEMO_APPS = ["plans", "forums", "budget", "stats", "situation"]


def load_demo_subset() -> None:
    import importlib

    from django.utils import timezone

    from trygg.core import personas

    world = personas.build()
    for app in DEMO_APPS:
        importlib.import_module(f"trygg.{app}.demo").load(world, io.StringIO())
    from trygg.situation import demo as situation_demo

    situation_demo.generate_reports(world, now=timezone.now(), count=400)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, committed for the module's tests; the database is emptied afterwards."""
    with django_db_blocker.unblock():
        try:
            load_demo_subset()
            yield
        finally:
            call_command("flush", "--noinput", verbosity=0)


def docx_text(content: bytes) -> str:
    """Every paragraph and table cell of a .docx, opened with python-docx."""
    import docx

    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    for section in document.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)


def pdf_pages(content: bytes, tmp_path: Path) -> tuple[int, str]:
    """Render the PDF to PNG with pdftoppm (every page) and read its text with pdftotext."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils (pdftoppm) is not installed")
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = len(list(tmp_path.glob("page-*.png")))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return pages, text


def plain(text: str) -> str:
    """No-break spaces as spaces, runs of spaces as one (for comparing figures)."""
    return re.sub(r"[ \u00a0\u202f]+", " ", text)
