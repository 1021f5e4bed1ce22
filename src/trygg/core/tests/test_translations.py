"""The Swedish catalogue is complete and its compiled form is up to date."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("**/locale/sv/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 10


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_string_has_a_swedish_translation(path):
    po = polib.pofile(str(path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not missing, f"untranslated in {path}: {missing}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalogue_matches_the_source(path):
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"run `make messages`: {mo_path} is missing"
    source = {
        (e.msgid, e.msgstr or str(e.msgstr_plural))
        for e in polib.pofile(str(path))
        if e.translated()
    }
    compiled = {(e.msgid, e.msgstr or str(e.msgstr_plural)) for e in polib.mofile(str(mo_path))}
    assert source == compiled, f"run `make messages`: {mo_path} is out of date"
