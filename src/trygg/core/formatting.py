"""Swedish number formats for the UI and reports ("svenskt talformat").

Conventions, chosen once and used everywhere:

* Thousands are separated by a **no-break space** (U+00A0, :data:`NBSP`),
  the same character as ``THOUSAND_SEPARATOR`` in ``trygg.formats.sv`` so
  template output and these helpers agree. (The narrow no-break space U+202F
  is typographically nicer but is missing from some fonts and is often lost
  in Word/Excel exports.) Every number with four or more integer digits is
  grouped: ``1 234``.
* The decimal separator is a comma: ``83,5``.
* The unit is separated by a no-break space too, so it never wraps onto its
  own line: ``83,5 %``, ``200 tkr``.
* Negative numbers use the minus sign U+2212 (:data:`MINUS`), not the hyphen:
  ``−72 %``. :func:`parse_swedish_decimal` accepts both.
* Rounding is half up (``ROUND_HALF_UP``, away from zero at .5), the way
  people round by hand, not Python's banker's rounding. A value that rounds
  to zero is shown without a sign.
* Money is ``Decimal`` or ``int`` kronor, never ``float``: :func:`format_money`
  raises ``TypeError`` for a float. Plain numbers (rates, shares) may be
  floats; they are converted through ``repr`` so ``2.675`` rounds to
  ``2,68`` as written, not as stored in binary.

User-facing error messages are plain Swedish strings from :data:`MESSAGES`;
the caller wraps them for translation if needed.
"""

from __future__ import annotations

import datetime as dt
import numbers
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

__all__ = [
    "DECIMAL_SEPARATOR",
    "MESSAGES",
    "MINUS",
    "NBSP",
    "THOUSANDS_SEPARATOR",
    "format_change",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
    "parse_swedish_decimal",
]

NBSP = "\u00a0"
MINUS = "\u2212"
THOUSANDS_SEPARATOR = NBSP
DECIMAL_SEPARATOR = ","

MESSAGES: dict[str, str] = {
    "empty": "Ange ett tal.",
    "invalid_number": (
        "Skriv ett tal med decimalkomma, till exempel 1 234,50. "
        "Använd mellanslag, inte punkt, mellan tusental."
    ),
}

_MONEY_STYLES = ("auto", "kr", "tkr", "mkr")
_MILLION = Decimal(1_000_000)
_THOUSAND = Decimal(1_000)
# Under "auto", amounts from this many kronor are written in tkr.
_TKR_FROM = Decimal(100_000)


def _to_decimal(value: object, *, allow_float: bool = True) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a bool is not a number")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, numbers.Integral):
        result = Decimal(int(value))
    elif isinstance(value, numbers.Real):
        if not allow_float:
            raise TypeError(
                "money must be Decimal or int kronor, not float "
                f"({type(value).__name__}); use Decimal('...')"
            )
        result = Decimal(repr(float(value)))
    else:
        raise TypeError(f"expected int, Decimal or float, got {type(value).__name__}")
    if not result.is_finite():
        raise ValueError("value must be a finite number")
    return result


def _check_decimals(decimals: int) -> int:
    if isinstance(decimals, bool) or not isinstance(decimals, int):
        raise TypeError("decimals must be an int")
    if decimals < 0:
        raise ValueError("decimals must be zero or more")
    return decimals


def _round(value: Decimal, decimals: int) -> Decimal:
    """Round half up to ``decimals`` places, with enough precision for any size."""
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + decimals + 5)
        return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _group(digits: str) -> str:
    """Insert the thousands separator into a string of integer digits."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return THOUSANDS_SEPARATOR.join(parts)


def _render(value: Decimal, decimals: int, *, plus: bool = False) -> str:
    """Render an already rounded Decimal with Swedish separators."""
    text = format(abs(value), "f")
    integer, _, fraction = text.partition(".")
    result = _group(integer)
    if decimals:
        result += DECIMAL_SEPARATOR + fraction.ljust(decimals, "0")[:decimals]
    if value.is_zero():
        return result
    if value < 0:
        return MINUS + result
    return "+" + result if plus else result


def format_number(value: int | Decimal | float, decimals: int = 0) -> str:
    """Format a number Swedish style: ``1 234 567``, ``1 234,50``, ``−3,5``.

    Thousands separator U+00A0, decimal comma, minus sign U+2212, rounded
    half up to exactly ``decimals`` places.
    """
    decimals = _check_decimals(decimals)
    return _render(_round(_to_decimal(value), decimals), decimals)


def format_percent(
    value: int | Decimal | float, decimals: int = 1, *, fraction: bool = False
) -> str:
    """Format a percentage ("procent"): ``format_percent(83.5)`` → ``83,5 %``.

    ``value`` is in percent (83.5). With ``fraction=True`` it is a fraction
    of one instead (0.835 → ``83,5 %``).
    """
    decimals = _check_decimals(decimals)
    number = _to_decimal(value)
    if fraction:
        number *= 100
    return _render(_round(number, decimals), decimals) + NBSP + "%"


def format_change(pct: int | Decimal | float, decimals: int = 0) -> str:
    """Format a change in percent ("förändring") with an explicit sign.

    ``format_change(46)`` → ``+46 %``, ``format_change(-72)`` → ``−72 %``
    (U+2212), ``format_change(0.2)`` → ``0 %``. ``pct`` is in percent, as
    returned by :func:`trygg.stats.analysis.change_pct`.
    """
    decimals = _check_decimals(decimals)
    return _render(_round(_to_decimal(pct), decimals), decimals, plus=True) + NBSP + "%"


def _trim_second_decimal(value: Decimal) -> int:
    """Number of decimals for mkr: two, or one if the second is a zero."""
    return 1 if value == _round(value, 1) else 2


def format_money(
    amount_kr: int | Decimal, style: str = "auto", *, decimals: int | None = None
) -> str:
    """Format an amount of kronor ("belopp"): ``1 234 567 kr``, ``200 tkr``, ``1,6 mkr``.

    ``amount_kr`` is ``int`` or ``Decimal`` kronor; a ``float`` raises
    ``TypeError``. ``style`` is one of:

    ``"kr"``
        Whole kronor: ``1 234 567 kr``.
    ``"tkr"``
        Thousands of kronor ("tusen kronor"), whole: ``200 tkr``.
    ``"mkr"``
        Millions of kronor ("miljoner kronor") with two decimals, the second
        dropped when it is a zero: ``4,29 mkr``, ``1,6 mkr``, ``5,0 mkr``.
    ``"auto"`` (default)
        ``mkr`` from 1 000 000 kr, ``tkr`` from 100 000 kr, else ``kr``
        (by absolute value). An amount that rounds to 1 000 tkr is written
        ``1,0 mkr`` instead.

    ``decimals`` overrides the number of decimals for any style (e.g. öre:
    ``format_money(Decimal("1234.5"), "kr", decimals=2)`` → ``1 234,50 kr``).
    """
    if style not in _MONEY_STYLES:
        raise ValueError(f"style must be one of {_MONEY_STYLES}, got {style!r}")
    if decimals is not None:
        decimals = _check_decimals(decimals)
    amount = _to_decimal(amount_kr, allow_float=False)

    if style == "auto":
        size = abs(amount)
        if size >= _MILLION:
            style = "mkr"
        elif size >= _TKR_FROM:
            style = "tkr"
            if abs(_round(amount.scaleb(-3), decimals or 0)) >= _THOUSAND:
                style = "mkr"
        else:
            style = "kr"

    if style == "kr":
        scaled, unit = amount, "kr"
    elif style == "tkr":
        scaled, unit = amount.scaleb(-3), "tkr"
    else:
        scaled, unit = amount.scaleb(-6), "mkr"

    if decimals is None:
        decimals = _trim_second_decimal(_round(scaled, 2)) if unit == "mkr" else 0
    return _render(_round(scaled, decimals), decimals) + NBSP + unit


def format_date(d: dt.date) -> str:
    """Format a date as ISO 8601, the Swedish standard: ``2024-03-25``.

    A ``datetime`` is formatted by its date part.
    """
    if not isinstance(d, dt.date):
        raise TypeError(f"expected a date, got {type(d).__name__}")
    if isinstance(d, dt.datetime):
        d = d.date()
    return d.isoformat()


_SPACE_CLASS = " \u00a0\u202f"
_DECIMAL_RE = re.compile(
    rf"""
    (?P<sign>[+\-{MINUS}])?
    [{_SPACE_CLASS}]?
    (?P<integer>[0-9]{{1,3}}(?:[{_SPACE_CLASS}][0-9]{{3}})+|[0-9]+)
    (?:[,.](?P<fraction>[0-9]+))?
    """,
    re.VERBOSE,
)


def parse_swedish_decimal(text: str) -> Decimal:
    """Parse a number written Swedish style into a ``Decimal`` ("decimaltal").

    Accepts ``1 234,50``, ``1234,50``, ``1234.50``, ``−3,5``, ``-3.5``,
    ``+12``: thousands separated by space, no-break space or narrow no-break
    space in groups of three; a decimal comma or point; an optional sign
    (``-``, ``+`` or U+2212); surrounding whitespace. Anything else (units,
    ``12,3,4``, ``1.234,5``, ``abc``) raises ``ValueError`` with a Swedish
    message from :data:`MESSAGES`.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")
    stripped = text.strip()
    if not stripped:
        raise ValueError(MESSAGES["empty"])
    match = _DECIMAL_RE.fullmatch(stripped)
    if match is None:
        raise ValueError(MESSAGES["invalid_number"])
    digits = re.sub(f"[{_SPACE_CLASS}]", "", match["integer"])
    if match["fraction"]:
        digits += "." + match["fraction"]
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:  # pragma: no cover - the pattern guarantees digits
        raise ValueError(MESSAGES["invalid_number"]) from exc
    if match["sign"] in ("-", MINUS):
        value = -value
    return value
