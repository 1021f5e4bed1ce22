"""The API's page-number pagination, with bounds a database can hold."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination as NinjaPageNumberPagination

#: No list has this many pages; a larger number is refused before it reaches the database.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 500


class PageNumberPagination(NinjaPageNumberPagination):
    """``?page=N&page_size=M``: N from 1 to 1 000 000, M from 1 to 500 (a 422 otherwise)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE)
