"""Tests for personal data detection in free text (personuppgifter i fritext)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from trygg.incidents.pii import (
    KIND_EMAIL,
    KIND_PERSONNUMMER,
    KIND_PHONE,
    KIND_SAMORDNINGSNUMMER,
    MESSAGES,
    WARNING_KINDS,
    Finding,
    contains_personal_data,
    find_personal_data,
    find_possible_personal_data,
    is_valid_personnummer,
    luhn_check_digit,
)

SENTENCES = [
    "{}",
    "Anmälaren har personnummer {} och bor i området.",
    "Personnummer: {}.",
    "Pnr {}, se bifogad anmälan.",
    "Den misstänkte ({}) sågs vid busshållplatsen kl. 22.15.",
    "{} uppgav att hon blivit hotad.",
    "Uppgifter om vittnet: {}",
    "Vid kontroll 2024-03-25 lämnades id-nummer {} till polisen.",
    "Skadegörelse för 1 250 kr; anmälare {}!",
]

# Timing varies when the suite runs in parallel with the database tests.
no_deadline = settings(deadline=None)


def kinds(text: str) -> list[str]:
    return [finding.kind for finding in find_personal_data(text)]


def matched(text: str) -> list[str]:
    return [text[f.start : f.end] for f in find_personal_data(text)]


def with_check_digit(first_nine: str) -> str:
    return first_nine + str(luhn_check_digit(first_nine))


# --- Luhn -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "check"),
    [
        ("811218987", 6),  # 811218-9876, the usual textbook example
        ("121212121", 2),  # 121212-1212, Skatteverket's test number
        ("640823323", 4),  # 640823-3234
        ("000000000", 0),
    ],
)
def test_luhn_check_digit(payload, check):
    assert luhn_check_digit(payload) == check


@pytest.mark.parametrize("bad", ["", "12a", "١٢٣"])
def test_luhn_rejects_non_digits(bad):
    with pytest.raises(ValueError):
        luhn_check_digit(bad)


# --- personnummer -----------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    ["811218-9876", "8112189876", "19811218-9876", "198112189876", "811218+9876"],
)
def test_personnummer_in_all_formats_is_found(number):
    text = f"Anmälaren ({number}) hörde skrik."
    findings = find_personal_data(text)
    assert len(findings) == 1
    (finding,) = findings
    assert finding.kind == KIND_PERSONNUMMER
    assert text[finding.start : finding.end] == number
    assert finding.span == (finding.start, finding.end)


@pytest.mark.parametrize("dash", ["\u2010", "\u2011", "\u2012", "\u2013", "\u2212"])
def test_personnummer_with_typographic_dash_is_found(dash):
    assert kinds(f"pnr 811218{dash}9876") == [KIND_PERSONNUMMER]


def test_acceptance_valid_personnummer_refused_luhn_failure_accepted():
    """A description holding a valid personnummer is refused; one holding a
    ten-digit number that fails Luhn is accepted."""
    refused = "Mannen med personnummer 8112189876 slog till en förbipasserande."
    accepted = "Mannen med nummer 8112189875 slog till en förbipasserande."
    assert contains_personal_data(refused)
    assert not contains_personal_data(accepted)
    assert find_personal_data(accepted) == []


@pytest.mark.parametrize(
    "number",
    [
        "811218-9875",  # wrong check digit
        "19811218-9875",
        "811218-98765",  # too many digits
        "1811218-9876",  # glued to another digit
    ],
)
def test_malformed_identity_numbers_are_not_found(number):
    found = kinds(f"Nummer {number} i texten.")
    assert KIND_PERSONNUMMER not in found
    assert KIND_SAMORDNINGSNUMMER not in found


@pytest.mark.parametrize(
    ("century", "payload"),
    [
        ("", "811318987"),  # month 13
        ("", "810018987"),  # month 0
        ("", "811200987"),  # day 0
        ("", "811232987"),  # 32 December
        ("", "810230987"),  # 30 February
        ("", "810229987"),  # 29 February 1881/1981/2081 does not exist
        ("", "811131987"),  # 31 November
        ("", "811260987"),  # day 60: neither personnummer nor samordningsnummer
        ("", "811292987"),  # samordningsnummer for 32 December
        ("", "556016068"),  # organisationsnummer: month 60
        ("21", "811218987"),  # century 21
        ("17", "811218987"),  # century 17
    ],
)
def test_luhn_valid_numbers_with_impossible_dates_are_not_found(century, payload):
    number = century + with_check_digit(payload)
    assert find_personal_data(f"Nummer {number} i texten.") == []
    assert find_personal_data(f"Nummer {number[:-4]}-{number[-4:]} i texten.") == []


def test_leap_day_valid_only_in_leap_years():
    leap_10 = with_check_digit("000229123")  # 2000-02-29
    assert kinds(leap_10) == [KIND_PERSONNUMMER]
    assert kinds("19" + with_check_digit("000229123")) == []  # 1900 was no leap year
    assert kinds("20" + with_check_digit("000229123")) == [KIND_PERSONNUMMER]


def test_samordningsnummer_is_found_and_named():
    number = with_check_digit("811278987")  # 18 December + 60
    text = f"Samordningsnummer {number[:6]}-{number[6:]} finns i anmälan."
    (finding,) = find_personal_data(text)
    assert finding.kind == KIND_SAMORDNINGSNUMMER
    assert "samordningsnummer" in finding.message


def test_is_valid_personnummer():
    assert is_valid_personnummer("811218-9876")
    assert is_valid_personnummer(" 19811218-9876 ")
    assert is_valid_personnummer(with_check_digit("811278987"))
    assert not is_valid_personnummer("811218-9875")
    assert not is_valid_personnummer("pnr 811218-9876")


# --- message and masking ----------------------------------------------------


def test_message_is_swedish_and_does_not_echo_the_number():
    text = "Pnr 19811218-9876."
    (finding,) = find_personal_data(text)
    assert finding.masked == "19XXXXXX-XXXX"
    assert finding.message == (
        "Texten ser ut att innehålla ett personnummer (19XXXXXX-XXXX). "
        "Skriv inte personuppgifter i en händelserapport."
    )
    assert "9876" not in finding.message
    assert "9876" not in repr(finding)


def test_ten_digit_mask_shows_only_two_digits():
    (finding,) = find_personal_data("811218-9876")
    assert finding.masked == "81XXXX-XXXX"


def test_every_kind_has_a_message():
    refused = {KIND_PERSONNUMMER, KIND_SAMORDNINGSNUMMER, KIND_PHONE, KIND_EMAIL}
    assert set(MESSAGES) == refused | set(WARNING_KINDS)
    for kind, message in MESSAGES.items():
        assert "{masked}" in message
        ending = (
            "Skriv inte personuppgifter i en händelserapport."
            if kind in refused
            else "Kontrollera att ingen person kan identifieras."
        )
        assert message.endswith(ending)


def test_finding_is_frozen():
    (finding,) = find_personal_data("811218-9876")
    assert isinstance(finding, Finding)
    with pytest.raises(AttributeError):
        finding.kind = "x"  # type: ignore[misc]


# --- phone numbers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("070-123 45 67", "07X-XXX XX XX"),
        ("070 123 45 67", "07X XXX XX XX"),
        ("0701234567", "07XXXXXXXX"),
        ("070-1234567", "07X-XXXXXXX"),
        ("073 - 123 45 67", "07X - XXX XX XX"),
        ("08-123 456 78", "08-XXX XXX XX"),
        ("08-12 34 56", "08-XX XX XX"),
        ("08 123 456 78", "08 XXX XXX XX"),
        ("031-12 34 56", "03X-XX XX XX"),
        ("0431-123 45", "04XX-XXX XX"),
        ("+46 70 123 45 67", "+46 XX XXX XX XX"),
        ("+46701234567", "+46XXXXXXXXX"),
        ("+46 (0)70-123 45 67", "+46 (X)XX-XXX XX XX"),
        ("0046 70 123 45 67", "0046 XX XXX XX XX"),
        ("+46 8 123 456 78", "+46 X XXX XXX XX"),
        ("070\u00a0123\u00a045\u00a067", "07X\u00a0XXX\u00a0XX\u00a0XX"),
        ("070\u2013123 45 67", "07X\u2013XXX XX XX"),
    ],
)
def test_phone_numbers_are_found(number, masked):
    text = f"Ring {number} om något händer."
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == [KIND_PHONE]
    assert text[findings[0].start : findings[0].end] == number
    assert findings[0].masked == masked
    assert "telefonnummer" in findings[0].message


@pytest.mark.parametrize(
    "text",
    [
        "Händelsen inträffade 2024-03-25.",
        "Händelsen inträffade 2024-03-25 kl. 08.30.",
        "Mellan 08:30-09:45 och 22.00–04.00 var det oroligt.",
        "Mellan 08.00 och 17.00.",
        "Skadan uppgick till 1 250 kr.",
        "Skadan uppgick till 1 250 000 kr, 0,5 promille.",
        "Den 05-03-2024 anmäldes två brott.",
        "Mannen med nummer 8112189875 slog till en förbipasserande.",
        "Ärende 5000-K1234567-24 avslutat.",
        "Postnummer 413 19 Göteborg.",
        "Göteborg Nordost: 1 282 misshandelsfall 2024 och 1 259 fall 2025.",
        "Kl 0830 kom 070 personer.",
        "Organisationsnummer 556016-0680.",
        "Ett tal: 012345678.",
        "Det var 0 av 5.",
        "Telefon: okänt.",
    ],
)
def test_non_personal_numbers_are_not_flagged(text):
    assert find_personal_data(text) == []


def test_ten_digits_starting_with_07_failing_luhn_is_a_phone_number():
    number = "0701234567"
    assert luhn_check_digit(number[:9]) != int(number[9])
    assert kinds(number) == [KIND_PHONE]


def test_ten_digits_starting_with_07_passing_luhn_is_a_personnummer():
    number = with_check_digit("070123456")  # born 23 January 2007 (or 1907)
    assert kinds(number) == [KIND_PERSONNUMMER]
    # Written with phone grouping the same digits are a phone number.
    grouped = f"{number[:3]}-{number[3:6]} {number[6:8]} {number[8:]}"
    assert kinds(grouped) == [KIND_PHONE]


def test_too_long_unseparated_national_number_is_not_a_phone():
    assert find_personal_data("Referens 07012345678.") == []
    assert find_personal_data("Referens 070123456.") == []


def test_trailing_number_is_not_glued_to_the_phone_number():
    text = "Ring 08-123 456 78 12 gånger."
    assert matched(text) == ["08-123 456 78"]


def test_phone_after_colon_is_found():
    assert kinds("tel:0701234567") == [KIND_PHONE]


# --- e-mail -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("anna.svensson@goteborg.se", "a***@goteborg.se"),
        ("Anna_S+trygg@polisen.se", "A***@polisen.se"),
        ("erik@mail.example.co.uk", "e***@mail.example.co.uk"),
        ("åsa.öberg@kommun.se", "å***@kommun.se"),
    ],
)
def test_email_is_found(address, masked):
    text = f"Kontakta {address}. Tack!"
    findings = find_personal_data(text)
    assert [f.kind for f in findings] == [KIND_EMAIL]
    assert text[findings[0].start : findings[0].end] == address
    assert findings[0].masked == masked
    assert "e-postadress" in findings[0].message


@pytest.mark.parametrize("text", ["Skriv @trygg på sociala medier.", "a@b", "pris 5 @ 10 kr"])
def test_not_email(text):
    assert find_personal_data(text) == []


# --- several findings, ordering ---------------------------------------------


def test_several_findings_in_order():
    text = (
        "Vittne: anna@example.se, tel 070-123 45 67, pnr 811218-9876; "
        "den misstänkte har samordningsnummer 811278-9873."
    )
    assert is_valid_personnummer("811278-9873")
    assert kinds(text) == [KIND_EMAIL, KIND_PHONE, KIND_PERSONNUMMER, KIND_SAMORDNINGSNUMMER]
    starts = [f.start for f in find_personal_data(text)]
    assert starts == sorted(starts)


def test_empty_and_clean_text():
    assert find_personal_data("") == []
    assert not contains_personal_data(
        "Under kvällen 2024-03-25 uppstod bråk vid torget; två personer skadades lindrigt."
    )


def test_non_string_raises_type_error():
    with pytest.raises(TypeError):
        find_personal_data(None)  # type: ignore[arg-type]


# --- property-based ---------------------------------------------------------

identity_dates = st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2099, 12, 31))
serials = st.integers(min_value=0, max_value=999)
formats = st.sampled_from(["10-dash", "10-plain", "12-dash", "12-plain"])


def make_identity_number(date: dt.date, serial: int, fmt: str, coordination: bool) -> str:
    day = date.day + 60 if coordination else date.day
    date6 = f"{date.year % 100:02d}{date.month:02d}{day:02d}"
    tail = f"{serial:03d}"
    tail += str(luhn_check_digit(date6 + tail))
    century = f"{date.year // 100:02d}"
    return {
        "10-dash": f"{date6}-{tail}",
        "10-plain": f"{date6}{tail}",
        "12-dash": f"{century}{date6}-{tail}",
        "12-plain": f"{century}{date6}{tail}",
    }[fmt]


@no_deadline
@given(
    date=identity_dates,
    serial=serials,
    fmt=formats,
    coordination=st.booleans(),
    sentence=st.sampled_from(SENTENCES),
)
def test_property_valid_identity_numbers_are_always_found(
    date, serial, fmt, coordination, sentence
):
    number = make_identity_number(date, serial, fmt, coordination)
    text = sentence.format(number)
    findings = find_personal_data(text)
    expected = KIND_SAMORDNINGSNUMMER if coordination else KIND_PERSONNUMMER
    assert [f.kind for f in findings] == [expected]
    assert text[findings[0].start : findings[0].end] == number
    assert number not in findings[0].message
    assert is_valid_personnummer(number)


@no_deadline
@given(
    number=st.integers(min_value=1_000_000_000, max_value=9_999_999_999).map(str),
    sentence=st.sampled_from(SENTENCES),
)
def test_property_ten_digits_with_wrong_check_digit_never_found(number, sentence):
    assume(luhn_check_digit(number[:9]) != int(number[9]))
    text = sentence.format(number)
    assert find_personal_data(text) == []
    dashed = sentence.format(f"{number[:6]}-{number[6:]}")
    assert find_personal_data(dashed) == []


@no_deadline
@given(
    date=identity_dates,
    serial=serials,
    wrong=st.integers(min_value=1, max_value=9),
    fmt=formats,
    sentence=st.sampled_from(SENTENCES),
)
def test_property_identity_number_with_wrong_check_digit_not_found(
    date, serial, wrong, fmt, sentence
):
    number = make_identity_number(date, serial, fmt, coordination=False)
    bad = number[:-1] + str((int(number[-1]) + wrong) % 10)
    found = kinds(sentence.format(bad))
    assert KIND_PERSONNUMMER not in found
    assert KIND_SAMORDNINGSNUMMER not in found


@no_deadline
@given(
    operator=st.sampled_from(["70", "72", "73", "76", "79"]),
    subscriber=st.integers(min_value=0, max_value=9_999_999).map(lambda n: f"{n:07d}"),
    style=st.sampled_from(["{0}{1}-{2} {3} {4}", "{0}{1} {2} {3} {4}", "+46 {1} {2} {3} {4}"]),
)
def test_property_grouped_mobile_numbers_are_found(operator, subscriber, style):
    number = style.format("0", operator, subscriber[:3], subscriber[3:5], subscriber[5:])
    text = f"Ring mig på {number} i kväll."
    assert kinds(text) == [KIND_PHONE]
    assert matched(text) == [number]


@no_deadline
@given(date=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_property_iso_dates_are_not_flagged(date):
    text = f"Händelsen {date.isoformat()} kl. {date.month:02d}.{date.day:02d}."
    assert find_personal_data(text) == []


# --- personnummer written with spaces ------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "811218 9876",
        "19811218 9876",
        "81 12 18-9876",
        "81 12 18 9876",
        "811218 - 9876",
        "19811218 -9876",
    ],
)
def test_personnummer_written_with_spaces_is_found(written):
    (finding,) = find_personal_data(f"Mannen ({written}) sprang iväg.")
    assert finding.kind == KIND_PERSONNUMMER
    assert "9876" not in finding.masked and "1218" not in finding.masked


def test_spaced_number_failing_luhn_is_not_a_personnummer():
    assert find_personal_data("Kod 811218 9875 på dörren.") == []


# --- warnings: names, street addresses, registration numbers ---------------------


@pytest.mark.parametrize(
    ("text", "kind", "matched"),
    [
        ("Kalle Andersson klottrade på väggen.", "namn", "Kalle Andersson"),
        ("Eleven Lisa sprang iväg.", "namn", "Lisa"),
        ("Björn Borg stod vid kiosken.", "namn", "Björn Borg"),
        ("Han bor på Storgatan 12B, lgh 1102 sedan i fjol.", "adress", "Storgatan 12B, lgh 1102"),
        ("Bråk utanför Drottninggatan 4.", "adress", "Drottninggatan 4"),
        ("Vid Dag Hammarskjölds väg 7 A samlades de.", "adress", "Hammarskjölds väg 7 A"),
        ("Bilen ABC 123 stod parkerad.", "registreringsnummer", "ABC 123"),
        ("Mopeden XYZ12A körde på gångbanan.", "registreringsnummer", "XYZ12A"),
    ],
)
def test_likely_personal_data_gives_a_warning(text, kind, matched):
    findings = find_possible_personal_data(text)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [(kind, matched)]
    assert matched not in findings[0].masked


@pytest.mark.parametrize(
    "text",
    [
        "Buss 401 var försenad kl 14.30.",
        "Per år blir det tre fall.",
        "Björn syntes i skogen.",
        "Hans bil stod kvar.",
        "Klotter vid Erik Dahlbergsgatan.",
        "Möte på Olof Palmes plats.",
        "Vid Älta centrum och Nacka Forum var det lugnt.",
        "Ärende KS 2023/0123 och KFN 2024/45 avslutade.",
        "Skadan uppgick till 1 250 kr.",
        "Den 2024-03-25 kl 08:30 hände det.",
        "Sickla Köpkvarter hade väktare.",
        "Tre ungdomar vid Forum Nacka, ca 22.00.",
        "Linje 471 och 474 körde om.",
        "Lägenhet i området, trapphus 3.",
    ],
)
def test_ordinary_texts_give_no_warning(text):
    assert find_possible_personal_data(text) == []
    assert find_personal_data(text) == []


def test_warnings_do_not_repeat_refusals():
    text = "Kalle Andersson 811218-9876"
    assert [f.kind for f in find_personal_data(text)] == [KIND_PERSONNUMMER]
    assert [f.kind for f in find_possible_personal_data(text)] == ["namn"]
