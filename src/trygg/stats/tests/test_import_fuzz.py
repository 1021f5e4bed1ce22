"""Property tests: any bytes given to a statistics import are imported or refused, never a
crash. The import runs as it does for a user (``importers.run``), which records an
unexpected exception as "failed unexpectedly" in the log: that is what must never happen."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.core.models import ImportBatch
from trygg.core.tests.fuzz import FUZZ, mutated, raw, text_after
from trygg.stats import importers, services
from trygg.stats.choices import ImportKind
from trygg.stats.tests.conftest import PX_SYMBOLS

pytestmark = pytest.mark.django_db

HEADERS = {
    ImportKind.SURVEY: "indikator;område;år;värde;urval;riket\nTrygg;Nacka;2023;83,5;;75\n",
    ImportKind.POPULATION: "område;år;folkmängd\nNacka;2023;109166\n",
    ImportKind.BRA_YEARLY: "year,area,crime_type,count\n2023,Nacka kommun,alla_brott,9065\n",
    ImportKind.BRA_MONTHLY: (
        "År,Månad,Kvartal,Periodtyp,Periodetikett,Periodnyckel,Period_start,Period_slut,"
        "Preliminär,Kommun,Region_ID,Brott,Brott_ID,Brottsnivå,Förälder_ID,Förälder,Nivå1,"
        "Antal,Per100000,Status_Antal,Status_Per100000\n"
        "2026,8.0,,Månad,Aug,202608,2026-08-01,2026-08-31,True,Nacka,0182,Totalt antal brott,"
        "13192,1,,,Totalt antal brott,225.0,786.0,,\n"
    ),
}


class _Unexpected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def run_import(world):
    handler = _Unexpected()
    logger = logging.getLogger(importers.__name__)
    logger.addHandler(handler)
    actor = world.users["samordnare"]

    def run(kind: str, data: bytes, filename: str = "fil.csv", options=None) -> None:
        batch = services.import_batch_create(
            actor=actor,
            organisation=world.organisations["nacka"],
            kind=kind,
            filename=filename,
            content=data,
        )
        batch = importers.run(actor=actor, batch=batch, content=data, options=options or {})
        assert batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.REJECTED)
        assert not handler.records, handler.records[0].exc_info

    yield run
    logger.removeHandler(handler)


@FUZZ
@given(data=text_after(HEADERS[ImportKind.SURVEY]))
def test_any_survey_file_is_imported_or_refused(run_import, data):
    run_import(ImportKind.SURVEY, data)


@FUZZ
@given(data=text_after(HEADERS[ImportKind.POPULATION]))
def test_any_population_file_is_imported_or_refused(run_import, data):
    run_import(ImportKind.POPULATION, data)


@FUZZ
@given(data=text_after(HEADERS[ImportKind.BRA_YEARLY]))
def test_any_bra_yearly_file_is_imported_or_refused(run_import, data):
    run_import(ImportKind.BRA_YEARLY, data, options={"kommun": "Nacka"})


@FUZZ
@given(data=text_after(HEADERS[ImportKind.BRA_MONTHLY]))
def test_any_bra_monthly_file_is_imported_or_refused(run_import, data):
    run_import(ImportKind.BRA_MONTHLY, data)


@FUZZ
@given(
    data=st.one_of(
        raw,
        text_after('CHARSET="ANSI";\nAXIS-VERSION="2000";\n'),
        mutated(PX_SYMBOLS.read_bytes()),
    )
)
def test_any_px_file_is_imported_or_refused(run_import, data):
    run_import(ImportKind.PX, data, filename="tabell.px")
