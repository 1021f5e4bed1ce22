"""Law checklist (lag 2023:196 om kommuners ansvar för brottsförebyggande arbete): per kommun,
computed from the data, each item met or not with its evidence.

The items are read by :func:`checklist`; when the situation app provides
``law_checklist(*, user, organisation)`` its items are used instead (one definition)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core.access import VIEW
from trygg.reports.document import Document, Source
from trygg.reports.kinds.base import Params, url

LAW = "2023:196"


@dataclass
class Item:
    """One requirement of the law: met or not, with the evidence and where to see it."""

    key: str
    requirement: str
    met: bool
    evidence: str
    link: str = ""


def _mandate_end(day: dt.date) -> dt.date:
    """The end of the current mandate period (mandatperiod): elections every fourth year
    from 2022, the new council taking office on 15 October."""
    start_year = 2022 + ((day.year - 2022) // 4) * 4
    end = dt.date(start_year + 4, 10, 14)
    if day > end:
        end = dt.date(start_year + 8, 10, 14)
    return end


def checklist(user, organisation, today: dt.date | None = None) -> list[Item]:
    from trygg.core.choices import Role
    from trygg.core.models import Membership
    from trygg.plans.choices import PlanKind
    from trygg.plans.models import Plan
    from trygg.situation import selectors
    from trygg.situation.models import ProblemMeasure

    today = today or timezone.localdate()
    items: list[Item] = []
    picture = selectors.current_picture(user, organisation)
    if picture is None:
        items.append(
            Item(
                "picture",
                _("A situation picture exists"),
                False,
                _("No situation picture is recorded."),
            )
        )
    else:
        items.append(
            Item(
                "picture",
                _("A situation picture exists"),
                True,
                picture.title,
                url("situation:picture_detail", picture.pk),
            )
        )
        current = picture.year >= today.year - 1
        items.append(
            Item(
                "current",
                _("The situation picture is current (this year or last)"),
                current,
                _("Year %(year)s") % {"year": picture.year},
            )
        )
        areas = selectors.analysis_areas(user, organisation)
        items.append(
            Item(
                "coverage",
                _("It covers the kommun's whole area"),
                organisation.area is not None,
                _("%(kommun)s with %(count)s areas")
                % {
                    "kommun": organisation.area.name if organisation.area else "–",
                    "count": len(areas),
                },
            )
        )
        views = selectors.problems_of(user, picture)
        analysed = [v for v in views if v.analysis is not None]
        items.append(
            Item(
                "causes",
                _("Each prioritised problem has a cause analysis"),
                bool(views) and len(analysed) == len(views),
                _("%(done)s of %(count)s problems analysed")
                % {"done": len(analysed), "count": len(views)},
            )
        )
    plans = Plan.objects.restrict(user, VIEW).filter(organisation=organisation)
    plan = (
        plans.filter(kind=PlanKind.ATGARDSPLAN).order_by("-decided_on", "-pk").first()
        or plans.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("-decided_on", "-pk")
        .first()
        or plans.order_by("-decided_on", "-pk").first()
    )
    if plan is None:
        items.append(
            Item(
                "plan",
                _("An action plan is decided by the municipal council"),
                False,
                _("No plan is recorded."),
            )
        )
    else:
        decided = plan.decided_on is not None and bool(plan.diarienummer)
        by_council = "fullmäktige" in (plan.decided_by or "").lower()
        evidence = ", ".join(
            p
            for p in [
                plan.title,
                plan.decided_by,
                f"{plan.decided_on:%Y-%m-%d}" if plan.decided_on else _("no decision date"),
                plan.diarienummer or _("no reg. no."),
            ]
            if p
        )
        items.append(
            Item(
                "plan",
                _("An action plan is decided by the municipal council"),
                decided and by_council,
                evidence,
                url("plans:plan_detail", plan.pk),
            )
        )
        measures = plan.measures.count()
        linked = (
            ProblemMeasure.objects.filter(measure__plan=plan).values("measure").distinct().count()
        )
        items.append(
            Item(
                "linked",
                _("Each measure addresses a prioritised problem"),
                measures > 0 and linked == measures,
                _("%(linked)s of %(count)s measures linked to a problem")
                % {"linked": linked, "count": measures},
            )
        )
        followed = (
            plan.last_evaluated_on is not None
            and plan.last_evaluated_on >= today - dt.timedelta(days=365)
        )
        items.append(
            Item(
                "followup",
                _("The plan was followed up in the last year"),
                followed,
                f"{plan.last_evaluated_on:%Y-%m-%d}"
                if plan.last_evaluated_on
                else _("Never followed up"),
            )
        )
        base = plan.last_revised_on or plan.decided_on
        if base is not None:
            due = _add_months(base, plan.revision_interval_months)
            mandate = _mandate_end(today)
            items.append(
                Item(
                    "revision",
                    _("The next revision is due within the mandate period"),
                    due <= mandate,
                    _("Revision due %(due)s; the mandate period ends %(end)s")
                    % {"due": f"{due:%Y-%m-%d}", "end": f"{mandate:%Y-%m-%d}"},
                )
            )
        else:
            items.append(
                Item(
                    "revision",
                    _("The next revision is due within the mandate period"),
                    False,
                    _("The plan has no decision date."),
                )
            )
    coordinators = Membership.objects.filter(
        organisation=organisation, role=Role.SAMORDNARE, is_active=True
    ).count()
    items.append(
        Item(
            "coordination",
            _("A coordinating function is named"),
            coordinators > 0,
            _("%(count)s coordinators") % {"count": coordinators},
        )
    )
    return items


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def build(user, params: Params, drafts: dict[str, str]) -> Document:
    org = params.organisation
    items = checklist(user, org)
    document = Document(
        kind="law",
        title=_("The law's checklist (%(law)s)") % {"law": LAW},
        subtitle=_("Act (%(law)s) on municipalities' responsibility for crime prevention")
        % {"law": LAW},
        organisation=org.name,
        parameters=params.as_dict(),
    )
    evidence = Source(
        data=_("Situation pictures, problems, cause analyses, plans and memberships"),
        filters=_("organisation %(name)s") % {"name": org.name},
        period=f"{timezone.localdate():%Y-%m-%d}",
    )
    met = sum(1 for i in items if i.met)
    document.paragraph(
        document.count("law.met", _("Requirements met"), met, evidence),
        _(" of %(count)s requirements of the law are met, computed from the data.")
        % {"count": len(items)},
    )
    document.table(
        [_("Requirement"), _("Met"), _("Evidence")],
        [[i.requirement, _("Yes") if i.met else _("No"), i.evidence] for i in items],
    )
    return document
