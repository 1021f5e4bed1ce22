"""What the API's descriptions and its validation share: a number with decimals as the
column holds it, and a reference to an object the user may not see.

The OpenAPI document must say exactly what the API accepts (the suite calls every operation
with data generated from it): a decimal is a number within the column's range, rounded to its
places, or the same as a string of digits; an id in a body that names nothing the user sees
is a 404, as its own path would be.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from django.http import Http404
from pydantic import BeforeValidator, Field, WithJsonSchema


class UnknownReference(Http404):
    """An object named in a request body that the user may not see, or that does not exist:
    a 404 whose ``detail`` names the field (the same message whether or not it exists)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.detail = {field: [message]}


def decimal(max_digits: int, decimal_places: int) -> Any:
    """A decimal input for a ``DecimalField(max_digits, decimal_places)``: a JSON number or a
    string of digits (``"1234.50"``), within the column's range, rounded half up to its places."""
    whole = max_digits - decimal_places
    largest = Decimal(10) ** whole - Decimal(1).scaleb(-decimal_places)
    step = Decimal(1).scaleb(-decimal_places)

    pattern = rf"^[+-]?\d{{1,{whole}}}(\.\d{{1,{decimal_places}}})?$"

    def rounded(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            return value  # the type check below answers
        if isinstance(value, str) and not re.fullmatch(pattern, value.strip()):
            raise ValueError(f"digits with at most {decimal_places} decimals, e.g. 1234.50")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return value
        if not number.is_finite():
            return value
        return number.quantize(step, rounding=ROUND_HALF_UP)

    return Annotated[
        Decimal,
        BeforeValidator(rounded),
        Field(ge=-largest, le=largest),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "minimum": float(-largest), "maximum": float(largest)},
                    {"type": "string", "pattern": pattern},
                ],
                "description": f"rounded to {decimal_places} decimals",
            }
        ),
    ]
