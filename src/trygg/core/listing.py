"""The list page every app uses: restricted, filtered, sorted, paginated and exportable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.views.generic import TemplateView

from trygg.core.access import VIEW
from trygg.core.exports import EXPORT_FORMATS, export_rows
from trygg.core.filters import FilterSet
from trygg.core.tables import Table

if TYPE_CHECKING:
    from django.db.models import Model
    from django_stubs_ext import StrOrPromise


def rows_by_keys(queryset, page_slice) -> list:
    """The rows of ``page_slice`` (a slice of ``queryset``), read by their keys in order."""
    keys = list(page_slice.values_list("pk", flat=True))
    if not keys:
        return []
    found = {row.pk: row for row in queryset.order_by().filter(pk__in=keys)}
    return [found[key] for key in keys if key in found]


class RestrictedListView(LoginRequiredMixin, TemplateView):
    """A list of ``model`` narrowed by ``restrict(user, "view")`` then by ``filterset_class``.

    ``?sort=key`` or ``?sort=-key`` sorts by a table column, ``?page=N`` pages, and
    ``?format=csv|xlsx`` downloads exactly the filtered and sorted rows, all pages.
    """

    model: type[Model] | None = None
    filterset_class: type[FilterSet] = FilterSet
    table_class: type[Table] = Table
    template_name = "core/list.html"
    paginate_by = 50
    title: StrOrPromise = ""
    export_name = "export"
    create_url: str | None = None
    create_label: StrOrPromise = ""
    #: Fetch a page in two steps: the keys of its rows in order (the sort needs only the sort
    #: key of every filtered row), then those rows with everything shown. For querysets whose
    #: rows carry costly annotations (the blurred values of incident reports), which a single
    #: query would compute for every filtered row before sorting.
    keys_first = False
    #: What an empty list says when no filter is set: what to do first (a new organisation
    #: meets every list empty). The create link and the page's other actions follow it.
    empty_text: StrOrPromise = ""

    def base_queryset(self):
        return self.model.objects.restrict(self.request.user, VIEW)

    def get_filterset(self):
        return self.filterset_class(self.request.GET or None, user=self.request.user)

    def filtered_queryset(self):
        """Built once per request: the page, its counts and its export all read it."""
        if not hasattr(self, "_filtered_queryset"):
            self._filtered_queryset = self._build_filtered_queryset()
        return self._filtered_queryset

    def _build_filtered_queryset(self):
        self.filterset = self.get_filterset()
        queryset = self.filterset.filter_queryset(self.base_queryset())
        self.table = self.table_class()
        self.sort = self.request.GET.get("sort") or self.table.default_sort
        expression = self.table.sort_expression(self.sort) if self.sort else None
        if expression:
            queryset = queryset.order_by(expression, "pk")
        elif not queryset.ordered:
            queryset = queryset.order_by("pk")
        return queryset

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format")
        if fmt in EXPORT_FORMATS:
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def export(self, fmt: str):
        queryset = self.filtered_queryset()
        table = self.table
        # A table may export more columns than fit on the page (``export_columns``).
        columns = getattr(table, "export_columns", None) or table.columns
        rows = ([c.value(obj) for c in columns] for obj in table.prepare(queryset))
        return export_rows(
            [str(c.label) for c in columns], rows, fmt, self.export_name, request=self.request
        )

    def total(self, queryset) -> int | None:
        """The number of filtered rows when the view knows it already (None: count them)."""
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        queryset = self.filtered_queryset()
        paginator = Paginator(queryset, self.paginate_by)
        total = self.total(queryset)
        if total is not None:
            paginator.count = total  # type: ignore[misc]  # a cached_property, set ahead
        page = paginator.get_page(self.request.GET.get("page"))
        if self.keys_first:
            page.object_list = rows_by_keys(queryset, page.object_list)
        query = self.request.GET.copy()
        query.pop("page", None)
        sort_query = query.copy()
        sort_query.pop("sort", None)
        context.update(
            title=self.title,
            filterset=self.filterset,
            table=self.table,
            rows=self.table.rows(page.object_list),
            page_obj=page,
            paginator=paginator,
            sort=self.sort,
            query=query.urlencode(),
            sort_query=sort_query.urlencode(),
            create_url=self.create_url,
            create_label=self.create_label,
            empty_text=self.empty_text,
        )
        return context
