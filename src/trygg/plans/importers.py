"""Import and export of plans: the plan text, Word (.docx) and one CSV/XLSX row format.

Every import runs in one transaction and is all or nothing: every bad row is collected with
its line or row number and a Swedish reason, and if there is any, nothing is written. Imports
are idempotent: the services write only what differs, so importing the same file twice
changes nothing the second time.

- :func:`import_plan_document` takes a parsed plan (text or Word). It finds the plan by
  organisation and title (or is given one) and matches focus areas, activities and measures
  by their position, updating what differs and adding what is new. Parts of the plan that
  are not in the file are left alone and reported.
- :func:`import_measure_rows` takes the rows of the CSV/XLSX format that
  :func:`measure_rows` exports. A row with an id updates that measure; a row without one
  adds a measure (or updates an identical one already in its activity).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from trygg.core.access import CHANGE, VIEW
from trygg.core.imports import ImportRejected, Problem, check_zip, decode_text, read_table
from trygg.core.models import Area, Organisation, Place
from trygg.plans import services
from trygg.plans.choices import PlanKind, StatusCategory
from trygg.plans.columns import COLUMN_SYNONYMS, ROLE_IGNORE, column_key
from trygg.plans.models import STATUS, Activity, FocusArea, Measure, MeasureStatus, Plan
from trygg.plans.parsing import (
    ParseError,
    PlanDocument,
    UnmappedColumns,
    parse_plan_docx,
    parse_plan_text,
)
from trygg.plans.row_values import (
    _action_items,
    _date,
    _label_in,
    _match_measure,
    _prevention,
    _responsibles,
    _split,
    _text,
)

TEXT_EXTENSIONS = {".txt", ".docx"}
ROW_EXTENSIONS = {".csv", ".xlsx"}
ALL_EXTENSIONS = TEXT_EXTENSIONS | ROW_EXTENSIONS
#: Rows in one CSV/XLSX file of measures (the header not counted).
MAX_ROWS = 5000


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


@dataclass(frozen=True)
class RowOutcome:
    """What an import does with one row of the file (*rad*): ``outcome`` is "created",
    "updated" or "unchanged"; ``where`` says where the row is in the file."""

    number: int
    where: str
    text: str
    outcome: str

    @property
    def label(self) -> str:
        return str(OUTCOME_LABELS[self.outcome])


OUTCOME_LABELS = {
    "created": pgettext_lazy("import", "New"),
    "updated": pgettext_lazy("import", "Changed"),
    "unchanged": pgettext_lazy("import", "Unchanged"),
}


@dataclass
class ImportReport:
    plan: Plan
    plan_created: bool = False
    focus_areas: Tally = field(default_factory=Tally)
    activities: Tally = field(default_factory=Tally)
    measures: Tally = field(default_factory=Tally)
    statuses_changed: int = 0
    left_alone: int = 0
    #: One outcome per row of measures in the file, in file order.
    rows: list[RowOutcome] = field(default_factory=list)

    def row(self, number: int, where: str, text: str, outcome: str) -> None:
        text = " ".join(text.split())
        self.rows.append(
            RowOutcome(number, where, text if len(text) <= 90 else text[:89] + "…", outcome)
        )

    @property
    def changed(self) -> bool:
        return bool(
            self.plan_created
            or self.statuses_changed
            or any(
                t.created or t.updated for t in (self.focus_areas, self.activities, self.measures)
            )
        )

    def lines(self, *, preview: bool = False) -> list[str]:
        """The outcome in words, one line per kind of object (translated); with ``preview``,
        as what the import will do."""

        def line(label, tally: Tally) -> str:
            return _("%(label)s: %(created)d new, %(updated)d changed, %(unchanged)d unchanged") % {
                "label": label,
                "created": tally.created,
                "updated": tally.updated,
                "unchanged": tally.unchanged,
            }

        if preview:
            plan_line = (
                _("The plan “%(title)s” will be created.")
                if self.plan_created
                else _("The plan “%(title)s” already exists.")
            )
        else:
            plan_line = (
                _("Created the plan “%(title)s”.")
                if self.plan_created
                else _("The plan “%(title)s” already existed.")
            )
        result = [
            plan_line % {"title": self.plan.title},
            line(pgettext("plans", "Focus areas"), self.focus_areas),
            line(pgettext("plans", "Activities"), self.activities),
            line(pgettext("plans", "Measures"), self.measures),
            _("Status changes: %(n)d") % {"n": self.statuses_changed},
        ]
        if self.left_alone:
            result.append(
                (
                    _("%(n)d parts of the plan are not in the file and will be left as they are.")
                    if preview
                    else _("%(n)d parts of the plan are not in the file and were left as they are.")
                )
                % {"n": self.left_alone}
            )
        if not self.changed:
            result.append(_("Nothing will be changed.") if preview else _("Nothing was changed."))
        return result

    def preview_lines(self) -> list[str]:
        return self.lines(preview=True)


# Statuses written as text ------------------------------------------------------------------

STATUS_SYNONYMS = {
    "ej påbörjad": StatusCategory.NOT_STARTED,
    "ej påbörjat": StatusCategory.NOT_STARTED,
    "ej startad": StatusCategory.NOT_STARTED,
    "inte påbörjad": StatusCategory.NOT_STARTED,
    "planerad": StatusCategory.NOT_STARTED,
    "pågående": StatusCategory.ONGOING,
    "pågår": StatusCategory.ONGOING,
    "påbörjad": StatusCategory.ONGOING,
    "startad": StatusCategory.ONGOING,
    "slutförd": StatusCategory.DONE,
    "slutfört": StatusCategory.DONE,
    "klar": StatusCategory.DONE,
    "klart": StatusCategory.DONE,
    "genomförd": StatusCategory.DONE,
    "genomfört": StatusCategory.DONE,
    "avslutad": StatusCategory.DONE,
    "inställd": StatusCategory.CANCELLED,
    "avbruten": StatusCategory.CANCELLED,
    "struken": StatusCategory.CANCELLED,
}


def match_status(statuses: list[MeasureStatus], text: str) -> MeasureStatus | None:
    """The status a text names: a status name, a category (Swedish or English) or a synonym."""
    key = " ".join(text.split()).casefold().rstrip(".")
    if not key:
        return None
    for status in statuses:
        if status.name.casefold() == key:
            return status
    category = STATUS_SYNONYMS.get(key)
    if category is None:
        for choice in StatusCategory:
            labels = {choice.value, _label_in("sv", choice.label).casefold()}
            labels.add(_label_in("en", choice.label).casefold())
            if key in labels:
                category = choice
                break
    if category is None:
        return None
    for status in sorted(statuses, key=lambda s: s.order):
        if status.category == category:
            return status
    return None


def _status_names(statuses: list[MeasureStatus]) -> str:
    return ", ".join(s.name for s in sorted(statuses, key=lambda s: s.order))


# Reading files -----------------------------------------------------------------------------


class ColumnsUnknown(ImportRejected):
    """The file has columns whose names are not known (*okända kolumner*): the user maps them
    (see :data:`ROW_ROLES` / :data:`parsing.ROLES`) and the file is read again.

    ``columns`` maps each header as written to up to three rows of cells under it (the whole
    row, for a preview); ``headers`` is the header row of the first table that has them."""

    def __init__(
        self, columns: dict[str, list[list[str]]], headers: list[str], *, row: int | None = 1
    ) -> None:
        self.columns = columns
        self.headers = headers
        names = ", ".join(columns)
        if row == 1:
            message = _("Row 1: unknown columns: %(names)s.") % {"names": names}
        else:
            message = _("Unknown columns in the tables: %(names)s.") % {"names": names}
        super().__init__([Problem(row, "", message)])


def read_plan_document(
    name: str, content: bytes, column_map: dict[str, str] | None = None
) -> PlanDocument:
    """Parse a .txt or .docx plan; problems become an ImportRejected with Swedish messages.

    ``column_map`` names table columns the reader does not know (:func:`column_key` of the
    header → role); without it such columns raise :class:`ColumnsUnknown`.
    """
    suffix = Path(name).suffix.lower()
    try:
        if suffix == ".docx":
            check_zip(content, kind=".docx")
            return parse_plan_docx(io.BytesIO(content), column_map)
        return parse_plan_text(decode_text(content), column_map)
    except UnmappedColumns as error:
        raise ColumnsUnknown(error.columns, error.headers, row=None) from error
    except ParseError as error:
        raise ImportRejected(
            [Problem(line, "", message) for line, message in error.problems]
        ) from error


# Plan text and Word --------------------------------------------------------------------------


def _scoped(model, actor, action):
    """What the actor may see or change; everything for system work (actor None)."""
    if actor is None:
        return model.objects.all()
    return model.objects.restrict(actor, action)


def _differs(obj, values: dict) -> bool:
    return any(getattr(obj, key) != value for key, value in values.items())


@transaction.atomic
def import_plan_document(
    *,
    actor,
    organisation: Organisation,
    document: PlanDocument,
    plan: Plan | None = None,
    title: str | None = None,
    kind: str | None = None,
    partners: list[Organisation] | None = None,
    source: str = "",
) -> ImportReport:
    """Create or update a plan from a parsed plan document, all or nothing."""
    title = (title or document.title).strip()
    if plan is None:
        plan = Plan.objects.filter(organisation=organisation, title=title).order_by("-pk").first()
    statuses = services.statuses_ensure_defaults(organisation, actor=actor)
    problems: list[Problem] = []
    for measure in document.measures:
        if measure.status and match_status(statuses, measure.status) is None:
            problems.append(
                Problem(
                    measure.line,
                    "",
                    _("%(where)s: unknown status “%(status)s”. Known statuses: %(names)s.")
                    % {
                        "where": measure.location or _("Line %(n)d") % {"n": measure.line},
                        "status": measure.status,
                        "names": _status_names(statuses),
                    },
                )
            )
    if problems:
        raise ImportRejected(problems)

    report = ImportReport(plan=plan)  # type: ignore[arg-type]
    if plan is None:
        plan = services.plan_create(
            actor=actor,
            organisation=organisation,
            title=title,
            kind=kind or PlanKind.PLAN_FOR_SAMVERKAN,
            description=document.purpose,
            partner_organisations=partners or [],
        )
        report.plan, report.plan_created = plan, True
    else:
        changes: dict = {}
        if plan.description != document.purpose:
            changes["description"] = document.purpose
        if kind and plan.kind != kind:
            changes["kind"] = kind
        if partners is not None:
            current = set(plan.partner_organisations.values_list("pk", flat=True))
            if not {p.pk for p in partners} <= current:
                changes["partner_organisations"] = list(
                    {p.pk: p for p in [*plan.partner_organisations.all(), *partners]}.values()
                )
        if changes:
            services.plan_update(actor=actor, plan=plan, **changes)
        report.plan = plan

    note = _("Imported from %(file)s") % {"file": source} if source else _("Imported")
    focus_existing = list(plan.focus_areas.order_by("order", "pk"))
    activity_order = 0
    for position, focus_data in enumerate(document.focus_areas):
        values = {
            "title": focus_data.title,
            "purpose": focus_data.purpose,
            "goal": focus_data.goal,
            "order": position,
        }
        if position < len(focus_existing):
            focus_area = focus_existing[position]
            if _differs(focus_area, values):
                services.focus_area_update(actor=actor, focus_area=focus_area, **values)
                report.focus_areas.add("updated")
            else:
                report.focus_areas.add("unchanged")
        else:
            focus_area = services.focus_area_create(actor=actor, plan=plan, **values)
            report.focus_areas.add("created")
        activities_existing = list(focus_area.activities.order_by("order", "pk"))
        report.left_alone += max(0, len(activities_existing) - len(focus_data.activities))
        for index, activity_data in enumerate(focus_data.activities):
            values = {"title": activity_data.title, "order": activity_order}
            activity_order += 1
            if index < len(activities_existing):
                activity = activities_existing[index]
                if _differs(activity, values):
                    services.activity_update(actor=actor, activity=activity, **values)
                    report.activities.add("updated")
                else:
                    report.activities.add("unchanged")
            else:
                activity = services.activity_create(
                    actor=actor, plan=plan, focus_area=focus_area, **values
                )
                report.activities.add("created")
            _import_measures(actor, plan, activity, activity_data, statuses, report, note)
    report.left_alone += max(0, len(focus_existing) - len(document.focus_areas))
    return report


def _with_notes(action: str, notes: list[tuple[str, str]]) -> str:
    """The action text with the table's note columns as paragraphs "Header: text"."""
    parts = [action] if action else []
    parts += [f"{header}: {text}" for header, text in notes]
    return "\n\n".join(parts)


def _import_measures(actor, plan, activity, activity_data, statuses, report, note) -> None:
    measures_existing = list(activity.measures.order_by("order", "pk"))
    report.left_alone += max(0, len(measures_existing) - len(activity_data.measures))
    base_order = activity.order * 10
    for index, data in enumerate(activity_data.measures):
        values = {
            "title": activity_data.title,
            "challenge": data.challenge,
            "action": _with_notes(data.action, data.notes),
            "action_items": list(data.action_items),
            "order": base_order + index,
            **data.fields,
        }
        responsibles = [(r.organisation, r.unit) for r in data.responsibles]
        status = match_status(statuses, data.status) if data.status else None
        where = data.location or _("Line %(n)d") % {"n": data.line}
        if index < len(measures_existing):
            measure = measures_existing[index]
            current = [(r.label, r.unit) for r in measure.responsibles.all()]
            outcome = "unchanged"
            if _differs(measure, values) or current != responsibles:
                services.measure_update(
                    actor=actor, measure=measure, responsibles=responsibles, **values
                )
                report.measures.add("updated")
                outcome = "updated"
            else:
                report.measures.add("unchanged")
            if status is not None and status.pk != measure.status_id:
                services.measure_set_status(actor=actor, measure=measure, status=status, note=note)
                report.statuses_changed += 1
                outcome = "updated"
            report.row(data.line, where, data.action, outcome)
        else:
            services.measure_create(
                actor=actor,
                plan=plan,
                activity=activity,
                status=status,
                responsibles=responsibles,
                **values,
            )
            report.measures.add("created")
            report.row(data.line, where, data.action, "created")


def preview(run, /, **kwargs) -> ImportReport:
    """What an import would do, without writing anything (*förhandsgranskning*, dry run).

    The import runs as it would, in a transaction that is then rolled back, so the preview
    and the import itself can never disagree. Raises what the import raises.
    """
    with transaction.atomic():
        report = run(**kwargs)
        transaction.set_rollback(True)
    return report


# The CSV/XLSX row format -------------------------------------------------------------------


@dataclass(frozen=True)
class RowColumn:
    key: str
    label: object


COLUMNS = [
    RowColumn("id", gettext_lazy("ID")),
    RowColumn("focus_area", gettext_lazy("Focus area")),
    RowColumn("activity", gettext_lazy("Activity")),
    RowColumn("title", gettext_lazy("Title")),
    RowColumn("challenge", gettext_lazy("Challenge")),
    RowColumn("action", pgettext_lazy("measure", "Action")),
    RowColumn("responsibles", gettext_lazy("Responsible")),
    RowColumn("status", gettext_lazy("Status")),
    RowColumn("progress", gettext_lazy("Progress % (empty: from status)")),
    RowColumn("status_note", gettext_lazy("Note on status change")),
    RowColumn("prevention_type", gettext_lazy("Kind of prevention")),
    RowColumn("areas", gettext_lazy("Areas")),
    RowColumn("places", gettext_lazy("Places")),
    RowColumn("target_group", gettext_lazy("Target group")),
    RowColumn("starts_on", gettext_lazy("Starts")),
    RowColumn("ends_on", gettext_lazy("Ends")),
    RowColumn("outcome", gettext_lazy("Outcome")),
]
SEPARATOR = "; "


def measure_rows(user, plan: Plan) -> tuple[list[str], list[list]]:
    """Headers and one row per measure the user may see, in plan order."""
    from trygg.plans.selectors import measures_queryset

    measures = measures_queryset(user).filter(plan=plan).select_related("activity__focus_area")
    measures = sorted(
        measures,
        key=lambda m: (
            m.activity.focus_area.order if m.activity and m.activity.focus_area else 9999,
            m.activity.order if m.activity else 9999,
            m.order,
            m.pk,
        ),
    )
    rows = []
    for m in measures:
        rows.append(
            [
                m.pk,
                m.activity.focus_area.title if m.activity and m.activity.focus_area else "",
                m.activity.title if m.activity else "",
                m.title,
                m.challenge,
                m.action,
                SEPARATOR.join(r.display for r in m.responsibles.all()),
                m.status.name,
                m.progress,
                "",
                m.get_prevention_type_display() if m.prevention_type else "",
                SEPARATOR.join(sorted(a.name for a in m.areas.all())),
                SEPARATOR.join(sorted(p.name for p in m.places.all())),
                m.target_group,
                m.starts_on,
                m.ends_on,
                m.outcome,
            ]
        )
    return [str(c.label) for c in COLUMNS], rows


#: Other names of the row columns in hand-made sheets (besides the column labels).
ROW_SYNONYMS: dict[str, str] = {
    **{name: role for name, role in COLUMN_SYNONYMS.items() if role != "note"},
    **dict.fromkeys(("aktivitet", "aktiviteter", "aktivitetens namn"), "activity"),
    **dict.fromkeys(
        ("fokusområde", "samverkansområde", "prioriterat samverkansområde", "område för samverkan"),
        "focus_area",
    ),
    **dict.fromkeys(("rubrik", "titel", "namn"), "title"),
    **dict.fromkeys(("startdatum", "start", "från"), "starts_on"),
    **dict.fromkeys(("slutdatum", "slut", "till"), "ends_on"),
    **dict.fromkeys(("framsteg", "andel klar", "progress"), "progress"),
}


def row_roles() -> list[tuple[str, str]]:
    """What a column of a sheet of measures can be: ``(role, label)``, the label translated."""
    return [
        *((c.key, str(c.label)) for c in COLUMNS),
        ("note", _("Note (added to the action)")),
        (ROLE_IGNORE, _("Leave out")),
    ]


def _header_keys() -> dict[str, str]:
    keys = dict(ROW_SYNONYMS)
    for column in COLUMNS:
        keys[column.key.casefold()] = column.key
        for language in ("sv", "en"):
            keys[column_key(_label_in(language, column.label))] = column.key
    return keys


def read_rows(
    name: str, content: bytes, column_map: dict[str, str] | None = None
) -> list[tuple[int, dict[str, object]]]:
    """The rows of a CSV or XLSX file as ``(row number, {column key: value})``.

    Row numbers are what a spreadsheet shows: the header is row 1. Columns are known by their
    labels in Swedish or English, by :data:`ROW_SYNONYMS` or by ``column_map`` (:func:`column_key`
    of the header → role); other columns raise :class:`ColumnsUnknown`. A "note" column is
    added to the action as a paragraph "Header: text". No column is required: a row without
    id is matched to a measure by its activity and text (see :func:`import_measure_rows`).
    """
    header, *body = read_table(name, content, max_rows=MAX_ROWS + 1)
    keys = _header_keys()
    columns: list[str | None] = []
    names: list[str] = []
    unknown: dict[str, list[list[str]]] = {}
    for cell in header:
        text = " ".join(str(cell or "").split())
        key = column_key(text)
        role = (column_map or {}).get(key) or keys.get(key)
        if text and role is None:
            unknown[text] = [[_text(c) for c in row] for row in body[:3]]
        columns.append(None if role in (None, ROLE_IGNORE) else role)
        names.append(text)
    if unknown:
        raise ColumnsUnknown(unknown, names)
    single = [c for c in columns if c is not None and c != "note"]
    duplicates = sorted({c for c in single if single.count(c) > 1})
    if duplicates:
        labels = {c.key: str(c.label) for c in COLUMNS}
        raise ImportRejected(
            [
                Problem(
                    1,
                    "",
                    _("Row 1: more than one column is “%(name)s”.") % {"name": labels[key]},
                )
                for key in duplicates
            ]
        )
    rows = []
    for number, cells in enumerate(body, start=2):
        values: dict[str, object] = {}
        notes: list[str] = []
        for i, key in enumerate(columns):
            if key is None:
                continue
            value = cells[i] if i < len(cells) else None
            if key == "note":
                if _text(value):
                    notes.append(f"{names[i]}: {_text(value)}")
                continue
            values[key] = value
        if all(v in (None, "") for v in values.values()) and not notes:
            continue
        if notes:
            values["action"] = "\n\n".join([t for t in [_text(values.get("action"))] if t] + notes)
        rows.append((number, values))
    return rows


@dataclass
class _RowChange:
    number: int
    measure: Measure | None
    values: dict
    responsibles: list[tuple[str, str]] | None
    areas: list | None
    places: list | None
    status: MeasureStatus | None
    progress: int | None
    progress_given: bool
    note: str
    focus_area_title: str
    activity_title: str
    text: str = ""


@transaction.atomic
def import_measure_rows(
    *, actor, plan: Plan, rows: list[tuple[int, dict]], source: str = ""
) -> ImportReport:
    """Apply CSV/XLSX rows to a plan's measures, all or nothing."""
    statuses = list(MeasureStatus.objects.filter(organisation_id=plan.organisation_id))
    measures = (
        _scoped(Measure, actor, VIEW)
        .filter(plan=plan)
        .select_related("status", "activity", "plan__organisation")
        .prefetch_related("responsibles", "areas", "places")
    )
    visible = {m.pk: m for m in measures}
    # Rows may change the measures the actor may change; a status report (status, progress,
    # note) reaches also the measures whose status the actor may report (a partner's).
    changeable = set(_scoped(Measure, actor, CHANGE).filter(plan=plan).values_list("pk", flat=True))
    reportable = set(_scoped(Measure, actor, STATUS).filter(plan=plan).values_list("pk", flat=True))
    areas = {
        a.name.casefold(): a
        for a in _scoped(Area, actor, VIEW).filter(organisation_id=plan.organisation_id)
    }
    places = {
        p.name.casefold(): p
        for p in _scoped(Place, actor, VIEW).filter(organisation_id=plan.organisation_id)
    }

    problems: list[Problem] = []
    changes: list[_RowChange] = []
    seen_ids: dict[int, int] = {}
    in_order = sorted(
        (m for m in visible.values() if m.activity_id),
        key=lambda m: (m.activity.order, m.order, m.pk),
    )
    # Rows with an id claim their measures before rows matched by their text.
    claimed = {int(i) for _n, r in rows if re.fullmatch("[0-9]+", i := _text(r.get("id")))}
    for number, row in rows:
        where = _("Row %(n)d") % {"n": number}
        row_problems: list[str] = []
        measure = None
        raw_id = _text(row.get("id"))
        if raw_id:
            try:
                measure_id = int(raw_id)
            except ValueError:
                row_problems.append(
                    _("%(where)s: the id “%(value)s” is not a number.")
                    % {"where": where, "value": raw_id}
                )
                measure_id = None
            if measure_id is not None:
                measure = visible.get(measure_id)
                if measure is None:
                    row_problems.append(
                        _("%(where)s: there is no measure with id %(id)s in this plan.")
                        % {"where": where, "id": measure_id}
                    )
                elif measure_id in seen_ids:
                    row_problems.append(
                        _("%(where)s: the measure with id %(id)s is also on row %(other)d.")
                        % {"where": where, "id": measure_id, "other": seen_ids[measure_id]}
                    )
                else:
                    seen_ids[measure_id] = number
        matched = False
        if not raw_id:
            measure = _match_measure(row, in_order, claimed | set(seen_ids))
            if measure is not None:
                seen_ids[measure.pk] = number
                matched = True
        values: dict = {}
        for key in ("title", "challenge", "action", "target_group", "outcome"):
            if key in row:
                values[key] = _text(row[key])
        if "action" in values and (measure is None or values["action"] != measure.action):
            values["action_items"] = _action_items(values["action"])
        if "prevention_type" in row:
            values["prevention_type"] = _prevention(row["prevention_type"], row_problems, where)
        for key, label in (("starts_on", _("Starts")), ("ends_on", _("Ends"))):
            if key in row:
                values[key] = _date(row[key], row_problems, where, label)
        if (
            values.get("starts_on")
            and values.get("ends_on")
            and values["ends_on"] < values["starts_on"]
        ):
            row_problems.append(
                _("%(where)s: the measure cannot end before it starts.") % {"where": where}
            )
        status = None
        if "status" in row:
            status_text = _text(row["status"])
            if status_text:
                status = match_status(statuses, status_text)
                if status is None:
                    row_problems.append(
                        _("%(where)s: unknown status “%(status)s”. Known statuses: %(names)s.")
                        % {"where": where, "status": status_text, "names": _status_names(statuses)}
                    )
            elif measure is None or matched:
                status = None
            else:
                row_problems.append(_("%(where)s: the status is empty.") % {"where": where})
        progress, progress_given = None, "progress" in row
        raw_progress = _text(row.get("progress")) if progress_given else ""
        if raw_progress:
            digits = raw_progress.replace("%", "").strip()
            if digits.isdigit() and 0 <= int(digits) <= 100:
                progress = int(digits)
            else:
                row_problems.append(
                    _("%(where)s: progress “%(value)s” must be a whole number from 0 to 100.")
                    % {"where": where, "value": raw_progress}
                )
        found_areas = found_places = None
        if "areas" in row:
            found_areas = []
            for name in _split(row["areas"]):
                area = areas.get(name.casefold())
                if area is None:
                    row_problems.append(
                        _("%(where)s: unknown area “%(name)s”.") % {"where": where, "name": name}
                    )
                else:
                    found_areas.append(area)
        if "places" in row:
            found_places = []
            for name in _split(row["places"]):
                place = places.get(name.casefold())
                if place is None:
                    row_problems.append(
                        _("%(where)s: unknown place “%(name)s”.") % {"where": where, "name": name}
                    )
                else:
                    found_places.append(place)
        responsibles = _responsibles(row["responsibles"]) if "responsibles" in row else None
        activity_title = _text(row.get("activity"))
        if measure is None and not row_problems:
            if not activity_title:
                row_problems.append(
                    _("%(where)s: a new measure needs an activity.") % {"where": where}
                )
            if not values.get("action") and not values.get("title"):
                row_problems.append(
                    _("%(where)s: a new measure needs a title or an action.") % {"where": where}
                )
        change = _RowChange(
            number=number,
            measure=measure,
            values=values,
            responsibles=responsibles,
            areas=found_areas,
            places=found_places,
            status=status,
            progress=progress,
            progress_given=progress_given,
            note=_text(row.get("status_note")),
            focus_area_title=_text(row.get("focus_area")),
            activity_title=activity_title,
            text=values.get("action") or values.get("title") or activity_title,
        )
        if (
            measure is not None
            and not row_problems
            and measure.pk not in changeable
            and (
                _row_changes_content(change)
                or (measure.pk not in reportable and _row_reports_status(change))
            )
        ):
            row_problems.append(
                _("%(where)s: you may not change the measure with id %(id)s.")
                % {"where": where, "id": measure.pk}
            )
        problems += [Problem(number, "", p) for p in row_problems]
        changes.append(change)
    if problems:
        raise ImportRejected(problems)

    report = ImportReport(plan=plan)
    note = _("Imported from %(file)s") % {"file": source} if source else _("Imported")
    for change in changes:
        try:
            _apply_row(actor, plan, change, report, note)
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            for message in messages:
                problems.append(
                    Problem(
                        change.number,
                        "",
                        _("Row %(n)d: %(reason)s") % {"n": change.number, "reason": message},
                    )
                )
    if problems:
        # Roll back everything the earlier rows wrote: the file is refused whole.
        raise ImportRejected(problems)
    return report


def _row_changes_content(change: _RowChange) -> bool:
    """Whether the row changes the measure itself (not only its status)."""
    measure = change.measure
    assert measure is not None
    if _differs(measure, change.values):
        return True
    if change.responsibles is not None and change.responsibles != [
        (r.label, r.unit) for r in measure.responsibles.all()
    ]:
        return True
    if change.areas is not None and {a.pk for a in change.areas} != {
        a.pk for a in measure.areas.all()
    }:
        return True
    return change.places is not None and {p.pk for p in change.places} != {
        p.pk for p in measure.places.all()
    }


def _row_reports_status(change: _RowChange) -> bool:
    """Whether the row reports a new status or progress (what a partner may write)."""
    measure = change.measure
    assert measure is not None
    if change.status is not None and change.status.pk != measure.status_id:
        return True
    return change.progress_given and change.progress != measure.progress


def _apply_row(actor, plan: Plan, change: _RowChange, report: ImportReport, note: str) -> None:
    measure = change.measure
    where = _("Row %(n)d") % {"n": change.number}
    if measure is None:
        activity = _activity_for(actor, plan, change, report)
        action = change.values.get("action", "")
        challenge = change.values.get("challenge", "")
        measure = activity.measures.filter(challenge=challenge, action=action).first()
        if measure is None:
            values = dict(change.values)
            values.setdefault("title", activity.title)
            if not values["title"]:
                values["title"] = activity.title
            services.measure_create(
                actor=actor,
                plan=plan,
                activity=activity,
                status=change.status,
                responsibles=change.responsibles or [],
                areas=change.areas or [],
                places=change.places or [],
                **({"progress": change.progress} if change.progress is not None else {}),
                **values,
            )
            report.measures.add("created")
            report.row(change.number, where, change.text, "created")
            return
        change.measure = measure
    changes_content = _row_changes_content(change)
    if not changes_content and not _row_reports_status(change):
        report.measures.add("unchanged")
        report.row(change.number, where, change.text, "unchanged")
        return
    if changes_content:
        services.measure_update(
            actor=actor,
            measure=measure,
            responsibles=change.responsibles,
            areas=change.areas,
            places=change.places,
            **change.values,
        )
    status = change.status or measure.status
    progress = change.progress if change.progress_given else services.KEEP
    update = services.measure_set_status(
        actor=actor,
        measure=measure,
        status=status,
        progress=progress,
        note=change.note or note,
        only_if_changed=True,
    )
    if update is not None:
        report.statuses_changed += 1
    report.measures.add("updated")
    report.row(change.number, where, change.text, "updated")


def _activity_for(actor, plan: Plan, change: _RowChange, report: ImportReport) -> Activity:
    activities = Activity.objects.filter(plan=plan, title=change.activity_title)
    focus_area = None
    if change.focus_area_title:
        focus_area = FocusArea.objects.filter(plan=plan, title=change.focus_area_title).first()
        if focus_area is None:
            focus_area = services.focus_area_create(
                actor=actor, plan=plan, title=change.focus_area_title
            )
            report.focus_areas.add("created")
        activities = activities.filter(focus_area=focus_area)
    activity = activities.order_by("order", "pk").first()
    if activity is None:
        activity = services.activity_create(
            actor=actor, plan=plan, focus_area=focus_area, title=change.activity_title
        )
        report.activities.add("created")
    return activity
