"""The API description says what the API accepts: filters typed as the page's form reads
them, decimals bounded and rounded as their columns hold them, one of two parents of a new
organisation; an id of nothing the user may see is a 404 wherever it is named."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from pydantic import TypeAdapter, ValidationError

from trygg.core.api_types import decimal
from trygg.core.services import api_token_create

pytestmark = pytest.mark.django_db


def _client(world, username="samordnare") -> Client:
    _token, key = api_token_create(actor=world.users[username], name="test")
    return Client(headers={"Authorization": f"Bearer {key}"})


def _parameters(document, path) -> dict:
    return {p["name"]: p["schema"] for p in document["paths"][path]["get"]["parameters"]}


def test_filters_are_typed_in_the_description(world, login):
    document = login("samordnare").get("/api/openapi.json").json()
    reports = _parameters(document, "/api/incidents/reports")
    assert {"type": "integer", "minimum": 1, "maximum": 2**63 - 1} in [
        {k: v for k, v in s.items() if k != "title"} for s in reports["category"]["anyOf"]
    ]
    assert {"format": "date", "type": "string"} in reports["since"]["anyOf"]
    assert any(
        set(s.get("enum", [])) == {"", "1", "2", "3"} for s in reports["assessment"]["anyOf"]
    )


def test_a_filter_on_something_the_user_cannot_see_is_a_404(world, login):
    client = _client(world)
    assert client.get("/api/incidents/reports", {"category": 2**40}).status_code == 404
    assert client.get("/api/incidents/reports", {"category": 0}).status_code == 422
    assert client.get("/api/incidents/reports", {"assessment": "9"}).status_code == 422
    assert client.get("/api/incidents/reports", {"assessment": "3"}).status_code == 200


def test_a_decimal_is_rounded_to_its_places_and_bounded_by_its_column():
    money = TypeAdapter(decimal(14, 2))
    assert money.validate_python(1234.565) == Decimal("1234.57")
    assert money.validate_python("1234.50") == Decimal("1234.50")
    assert money.validate_python(0.1 + 0.2) == Decimal("0.30")
    assert money.validate_python(5e-301) == Decimal("0.00")
    for bad in ["1234.565", "1e3", "12,5", "abc", 10**12, "Infinity"]:
        with pytest.raises(ValidationError):
            money.validate_python(bad)


def test_a_new_organisation_names_exactly_one_parent_in_the_description(world, login):
    document = login("admin").get("/api/openapi.json").json()
    body = document["paths"]["/api/organisations"]["post"]["requestBody"]
    refs = [b["$ref"] for b in body["content"]["application/json"]["schema"]["anyOf"]]
    assert refs == [
        "#/components/schemas/SubOrganisationIn",
        "#/components/schemas/PartnerOrganisationIn",
    ]
    sub = document["components"]["schemas"]["SubOrganisationIn"]
    assert "parent_id" in sub["required"] and "namnd" in sub["properties"]["kind"]["enum"]
    assert sub["properties"]["name"]["minLength"] == 1


def test_an_organisation_id_of_zero_is_not_found_rather_than_left_out(world):
    response = _client(world, "admin").post(
        "/api/organisations",
        {"name": "Ny", "kind": "namnd", "parent_id": 0},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_no_two_api_schemas_share_a_name():
    """The API description names each schema by its class: two classes of one name in two
    apps become one component, and the answers of one are checked against the other."""
    from ninja import Schema

    import trygg.api  # noqa: F401  (every app's api module, as the API is built)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    seen: dict[str, str] = {}
    clashes = []
    for schema in subclasses(Schema):
        if not schema.__module__.startswith("trygg."):
            continue
        where = f"{schema.__module__}.{schema.__qualname__}"
        if schema.__name__ in seen and seen[schema.__name__] != where:
            clashes.append(f"{schema.__name__}: {seen[schema.__name__]} and {where}")
        seen.setdefault(schema.__name__, where)
    assert not clashes, "rename one of each:\n" + "\n".join(clashes)
