"""Tests for the statistics file parsers, on the real files in the shared data folder."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from trygg.core.testing import needs_reference_data, reference_data
from trygg.stats.parsers import (
    PX_MISSING_SYMBOLS,
    StatsFileError,
    crime_hierarchy,
    parse_bra_monthly_csv,
    parse_bra_yearly_area_csv,
    parse_px,
)

DATA_DIR = reference_data()
PX_DIR = DATA_DIR / "px"
PX_FILES = sorted(PX_DIR.glob("*.px"))
MONTHLY = DATA_DIR / "bra" / "lulea_boden_monthly_2026-08_excerpt.csv"
GOTEBORG = DATA_DIR / "bra" / "bra_goteborg_stadsomraden_2023_2025.csv"

pytestmark = needs_reference_data(MONTHLY)


# -- PC-Axis -------------------------------------------------------------------------


def test_all_px_files_are_present():
    assert {p.name for p in PX_FILES} == {
        "BE0101A1.px",
        "BE0101F1datasymbols.px",
        "BE101ACE.px",
        "Fotnoter.px",
        "PR0101B3.px",
    }


@pytest.mark.parametrize("path", PX_FILES, ids=lambda p: p.name)
def test_every_px_file_parses(path):
    table = parse_px(path)
    assert table.title
    assert table.variables
    expected = math.prod(len(table.values[v]) for v in table.variables)
    assert len(table.records) == expected == table.cell_count
    for variable in table.variables:
        assert len(table.codes[variable]) == len(table.values[variable])
    first = table.records[0]
    assert list(first.labels) == table.variables
    # The same file as bytes gives the same table.
    assert parse_px(path.read_bytes()).records == table.records


def test_px_record_order_and_labels():
    table = parse_px(PX_DIR / "BE0101A1.px")
    assert table.stub == ["region", "marital status", "age", "sex"]
    assert table.heading == ["period"]
    first, second = table.records[:2]
    assert first.labels == {
        "region": "01 Stockholm county",
        "marital status": "single",
        "age": "0",
        "sex": "men",
        "period": "2004",
    }
    assert first.codes["region"] == "01"
    assert first.value == Decimal("13201")
    assert second.labels["period"] == "2005"
    assert second.value == Decimal("13079")
    # Latin-1 text decoded, Swedish code kept.
    assert "ÄNKL" in table.codes["marital status"]
    # This file's DATA lacks its final ';' — tolerated with a warning.
    assert any("semikolon" in message for _, message in table.warnings)


def test_px_missing_value_symbols_become_none():
    table = parse_px(PX_DIR / "BE0101F1datasymbols.px")
    assert len(table.records) == 4 * 3 * 1 * 2
    by_key = {(r.labels["region"], r.labels["age"], r.labels["sex"]): r for r in table.records}
    double_dot = by_key[("00 Sweden", "21", "women")]
    assert double_dot.value is None
    assert double_dot.symbol == ".."
    symbols = [r.symbol for r in table.records if r.symbol]
    assert symbols == [".", "..", "...", "....", ".....", "......"]
    assert all(r.value is None for r in table.records if r.symbol)
    assert by_key[("00 Sweden", "20", "men")].value == Decimal("456")
    assert table.symbol_labels[".."] == "two"
    assert ".." in PX_MISSING_SYMBOLS and "-" in PX_MISSING_SYMBOLS


def test_px_multiline_strings_are_concatenated():
    table = parse_px(PX_DIR / "BE0101F1datasymbols.px")
    note = table.keyword("NOTE", "region")
    assert note is not None
    assert "Parts of Södertälje municipality (code 0181)" in note.text
    assert note.text.endswith("(code 0140).")
    cpi = parse_px(PX_DIR / "PR0101B3.px")
    assert cpi.decimals == 2
    assert cpi.records[0].value == Decimal("240.25")


def test_px_code_count_mismatch_is_a_warning():
    table = parse_px(PX_DIR / "BE101ACE.px")
    assert table.values["sex"] == ["men", "women", "total"]
    assert table.codes["sex"] == ["1", "2", None]
    assert any('CODES("sex")' in message for _, message in table.warnings)


def test_px_codepage_language_and_symbols_from_bytes():
    text = (
        'CHARSET="ANSI";\n'
        'CODEPAGE="utf-8";\n'
        'LANGUAGE="sv";\n'
        'TITLE="Anmälda brott i Södertälje"\n" och Göteborg";\n'
        'TITLE[en]="Reported crimes";\n'
        'STUB="område";\n'
        'HEADING="år";\n'
        'VALUES("område")="Södertälje","Göteborg";\n'
        'VALUES[en]("area")="Sodertalje","Gothenburg";\n'
        'VALUES("år")="2024","2025";\n'
        'CODES("område")="0181","1480";\n'
        "DATA=\n"
        '12 ".."\n'
        "-\t0;\n"
    )
    table = parse_px(text.encode("utf-8"))
    assert table.encoding == "utf-8"
    assert table.title == "Anmälda brott i Södertälje och Göteborg"
    assert table.keyword("TITLE", language="en").text == "Reported crimes"
    assert table.languages() == {"en"}
    assert table.values["område"] == ["Södertälje", "Göteborg"]
    values = [(r.labels["område"], r.labels["år"], r.value, r.symbol) for r in table.records]
    assert values == [
        ("Södertälje", "2024", Decimal("12"), None),
        ("Södertälje", "2025", None, ".."),
        ("Göteborg", "2024", None, "-"),
        ("Göteborg", "2025", Decimal("0"), None),
    ]


@pytest.mark.parametrize(
    ("codepage", "encoding"), [("windows-1252", "cp1252"), ("ISO-8859-1", "latin-1")]
)
def test_px_codepages(codepage, encoding):
    text = f'CODEPAGE="{codepage}";\nTITLE="Kostnad i €";\nSTUB="a";\nVALUES("a")="x";\nDATA=\n1;\n'
    if encoding == "latin-1":
        text = text.replace("€", "kronor, Örebro")
    table = parse_px(text.encode(encoding))
    assert table.title in ("Kostnad i €", "Kostnad i kronor, Örebro")
    assert table.encoding == codepage.lower()


def test_px_default_encoding_is_latin1():
    raw = 'TITLE="Örebro";\nSTUB="a";\nVALUES("a")="Åre";\nDATA=\n1;\n'.encode("iso-8859-1")
    table = parse_px(raw)
    assert table.title == "Örebro"
    assert table.values["a"] == ["Åre"]


def test_corrupted_px_gives_all_problems_with_line_numbers(tmp_path):
    original = (PX_DIR / "BE0101F1datasymbols.px").read_bytes().decode("iso-8859-1")
    lines = original.split("\n")
    data_line = next(i for i, line in enumerate(lines) if line.startswith("DATA=")) + 1
    # Line data_line + 7 is "14 38 "; make one cell non-numeric and drop another.
    target = data_line + 7
    assert lines[target - 1].split() == ["14", "38"]
    lines[target - 1] = "14 tre\u00adtio"
    lines[target] = lines[target].split()[0]
    broken = tmp_path / "broken.px"
    broken.write_bytes("\n".join(lines).encode("iso-8859-1"))
    with pytest.raises(StatsFileError) as info:
        parse_px(broken)
    problems = info.value.problems
    assert (target, problems[0][1]) == problems[0]
    assert "varken ett tal" in problems[0][1]
    assert any(line == data_line and "23 värden" in message for line, message in problems)
    assert f"rad {target}:" in str(info.value)


def test_px_missing_values_keyword(tmp_path):
    with pytest.raises(StatsFileError) as info:
        parse_px('STUB="a","b";\nVALUES("a")="x";\nDATA=\n1;\n'.encode("ascii"))
    assert any('VALUES("b") saknas' in message for _, message in info.value.problems)


# -- Brå monthly -----------------------------------------------------------------------


def test_monthly_file():
    rows = parse_bra_monthly_csv(MONTHLY)
    assert len(rows) == 7
    assert {r.kommun for r in rows} == {"Boden", "Luleå"}
    boden_total = rows[0]
    assert boden_total.line == 2
    assert (boden_total.year, boden_total.month, boden_total.period_type) == (2026, 8, "Månad")
    assert boden_total.preliminary is True
    assert boden_total.region_id == 8441
    assert boden_total.crime_id == 13192
    assert boden_total.crime_name == "Totalt antal brott"
    assert boden_total.level == 1
    assert boden_total.parent_id is None
    assert boden_total.count == 225
    assert boden_total.per_100k == Decimal("786.0")
    assert rows[1].parent_id == 13206
    assert rows[-1].count == 3
    assert all(r.preliminary for r in rows)
    assert all(isinstance(r.count, int) for r in rows)


def test_crime_hierarchy():
    hierarchy = crime_hierarchy(parse_bra_monthly_csv(MONTHLY))
    assert hierarchy[13192].name == "Totalt antal brott"
    assert hierarchy[13192].parent_id is None
    assert hierarchy[13197].parent_id == 13195
    assert hierarchy[13197].level == 4
    parent = hierarchy[13195]
    assert parent.inferred is True
    assert parent.level == 3
    assert parent.name.endswith("3 kap. Brott mot liv och hälsa")
    assert {c.id for c in hierarchy.values() if not c.inferred} == {13192, 13216, 13197, 13264}


def test_monthly_semicolon_decimal_comma_and_missing(tmp_path):
    header = MONTHLY.read_text(encoding="utf-8").split("\n", 1)[0]
    columns = header.split(",")
    row = {c: "" for c in columns}
    row.update(
        {
            "År": "2026",
            "Månad": "8",
            "Periodtyp": "Månad",
            "Preliminär": "False",
            "Kommun": "Boden",
            "Region_ID": "8441",
            "Brott": "Totalt antal brott",
            "Brott_ID": "13192",
            "Brottsnivå": "1",
            "Antal": "",
            "Per100000": "786,5",
            "Status_Antal": "..",
        }
    )
    text = ";".join(columns) + "\n" + ";".join(row[c] for c in columns) + "\n"
    path = tmp_path / "semikolon.csv"
    path.write_bytes(text.encode("cp1252"))
    (parsed,) = parse_bra_monthly_csv(path)
    assert parsed.count is None
    assert parsed.count_status == ".."
    assert parsed.per_100k == Decimal("786.5")
    assert parsed.preliminary is False


def test_corrupted_monthly_lists_every_bad_row(tmp_path):
    lines = MONTHLY.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].replace(",21.0,73.0,", ",tjugoett,73.0,")  # line 3: count
    lines[4] = lines[4].split(",", 1)[1]  # line 5: one column short
    lines[5] = "20x6" + lines[5][4:]  # line 6: unknown year
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(StatsFileError) as info:
        parse_bra_monthly_csv(broken)
    assert info.value.lines == [3, 5, 6]
    messages = dict(info.value.problems)
    assert "tjugoett" in messages[3]
    assert "kolumner" in messages[5]
    assert "Okänt år" in messages[6]


def test_monthly_missing_columns_are_named():
    text = MONTHLY.read_text(encoding="utf-8")
    text = text.replace("Brott_ID", "BrottsID", 1).replace(",Antal,", ",Mängd,", 1)
    with pytest.raises(StatsFileError) as info:
        parse_bra_monthly_csv(text)
    (problem,) = info.value.problems
    assert problem[0] == 1
    assert "Brott_ID" in problem[1] and "Antal" in problem[1]
    assert problem[1].startswith("Obligatoriska kolumner saknas")


# -- Brå yearly per area ---------------------------------------------------------------


def test_goteborg_areas():
    rows = parse_bra_yearly_area_csv(GOTEBORG)
    assert len(rows) == 90
    assert {r.area_name for r in rows} == {
        "Göteborg kommun",
        "Centrum",
        "Hisingen",
        "Nordost",
        "Sydväst",
    }
    assert {r.kommun for r in rows} == {"Göteborg"}
    assert {r.year for r in rows} == {2023, 2024, 2025}
    assert len({r.crime_type for r in rows}) == 6
    nordost = {
        r.year: r.count for r in rows if r.area_name == "Nordost" and r.crime_type == "misshandel"
    }
    assert nordost[2025] == 1259
    assert nordost[2024] == 1282
    totals = [r for r in rows if r.is_kommun_total]
    assert len(totals) == 18 and all(r.area_name == "Göteborg kommun" for r in totals)
    assert all(r.population is None and r.per_100k is None for r in rows)
    assert rows[0].exported_at.isoformat() == "2026-10-10"


def test_goteborg_empty_count_is_missing_and_zero_is_zero(tmp_path):
    lines = GOTEBORG.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",90659,", ",,")
    lines[2] = lines[2].replace(",88766,", ",0,")
    copy = tmp_path / "copy.csv"
    copy.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = parse_bra_yearly_area_csv(copy)
    assert rows[0].count is None
    assert rows[1].count == 0


def test_goteborg_optional_rate_columns():
    text = (
        "år;område;brottstyp;antal;befolkning;per_100k\n"
        "2025;Nordost;misshandel;1259;130 000;968,5\n"
        "2025;Borås stad;misshandel;10;;\n"
    )
    first, second = parse_bra_yearly_area_csv(text, kommun="Göteborg")
    assert first.population == 130000
    assert first.per_100k == Decimal("968.5")
    assert first.kommun == "Göteborg"
    assert second.is_kommun_total and second.kommun == "Borås"


def test_corrupted_goteborg_copy(tmp_path):
    lines = GOTEBORG.read_text(encoding="utf-8").splitlines()
    lines[9] = lines[9].replace(",245,", ",två hundra,")  # line 10
    lines[19] = "20233" + lines[19][4:]  # line 20: year out of range
    lines[29] = lines[29] + ",extra"  # line 30: too many columns
    lines.append(lines[1])  # line 92: duplicate of line 2
    broken = tmp_path / "broken.csv"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(StatsFileError) as info:
        parse_bra_yearly_area_csv(broken)
    assert info.value.lines == [10, 20, 30, 92]
    messages = dict(info.value.problems)
    assert "inte ett heltal" in messages[10]
    assert "Okänt år" in messages[20]
    assert "Dubblett" in messages[92] and "rad 2" in messages[92]


def test_goteborg_missing_columns():
    with pytest.raises(StatsFileError) as info:
        parse_bra_yearly_area_csv("year,area,value\n2025,Nordost,1\n")
    assert "crime_type" in str(info.value) and "count" in str(info.value)


def test_negative_count_is_rejected():
    with pytest.raises(StatsFileError) as info:
        parse_bra_yearly_area_csv("year,area,crime_type,count\n2025,Nordost,rån,-3\n")
    assert info.value.lines == [2]
