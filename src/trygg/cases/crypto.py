"""Personnummer and samordningsnummer: checked, encrypted at rest and found by a keyed hash.

The number is stored only as a Fernet token (AES-128-CBC with HMAC-SHA256) and as an
HMAC-SHA256 of its twelve digits. The hash lets the service find an existing case for the
same youth without decrypting anything; it is keyed, so it cannot be reversed by hashing
every possible personnummer (there are only about 10⁹ of them). Both keys derive from the
setting ``CASES_KEY`` (``TRYGG_CASES_KEY`` or ``_FILE``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$")


def _derive(purpose: bytes) -> bytes:
    return hashlib.sha256(purpose + b":" + settings.CASES_KEY.encode()).digest()


def _fernet() -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"trygg-cases-encrypt")))


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def normalise(raw: str, *, today: dt.date | None = None) -> str:
    """Twelve digits YYYYMMDDNNNC from any usual way of writing it; ValidationError if not valid.

    The error never repeats the number (it could end up in a log or on an error page).
    """
    text = re.sub(r"\s", "", raw or "")
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError(
            _("Write the personal identity number as YYYYMMDD-NNNN."), code="format"
        )
    century, yy, mm, dd, sign, last = match.groups()
    today = today or dt.date.today()
    if century is None:
        year = 2000 + int(yy)
        if year > today.year:
            year -= 100
        if sign == "+":
            year -= 100
        century = str(year)[:2]
    ten = f"{yy}{mm}{dd}{last}"
    if not _luhn_ok(ten):
        raise ValidationError(
            _("The personal identity number is not valid (check digit)."), code="checksum"
        )
    day = int(dd)
    if day > 60:  # samordningsnummer: the day plus 60
        day -= 60
    try:
        dt.date(int(century + yy), int(mm), day)
    except ValueError as exc:
        raise ValidationError(
            _("The personal identity number has no valid date of birth."), code="date"
        ) from exc
    return f"{century}{ten}"


def birth_year(normalised: str) -> int:
    return int(normalised[:4])


def encrypt(normalised: str) -> str:
    return _fernet().encrypt(normalised.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def lookup_hash(normalised: str) -> str:
    return hmac.new(_derive(b"trygg-cases-lookup"), normalised.encode(), hashlib.sha256).hexdigest()


def masked(normalised: str) -> str:
    """YYYYMMDD-NNNN for the case page, the only place the number is shown."""
    return f"{normalised[:8]}-{normalised[8:]}" if len(normalised) == 12 else ""


def looks_like_personnummer(text: str) -> bool:
    return bool(_PATTERN.match(re.sub(r"\s", "", text or "")))
