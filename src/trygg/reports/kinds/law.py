"""Law checklist (lag 2023:196 om kommuners ansvar för brottsförebyggande arbete) as a
document: ``situation.law.law_checklist``, each requirement met or not with its evidence."""

from __future__ import annotations

from django.utils.translation import gettext as _

from trygg.core.provenance import Source
from trygg.reports.document import Document
from trygg.reports.kinds.base import Params


def build(user, params: Params, drafts: dict[str, str]) -> Document:
    from trygg.situation.law import law_checklist

    org = params.organisation
    checklist = law_checklist(user=user, organisation=org)
    document = Document(
        kind="law",
        title=_("The law's checklist (%(law)s)") % {"law": checklist.law},
        subtitle=checklist.law_title,
        organisation=org.name,
        parameters=params.as_dict(),
    )
    evidence = Source(
        data=_("Situation pictures, problems, cause analyses, plans and memberships"),
        filters=_("organisation %(name)s") % {"name": org.name},
        period=f"{checklist.computed_at:%Y-%m-%d}",
    )
    met = document.count("law.met", _("Requirements met"), checklist.met_count, evidence)
    document.paragraph(
        met,
        _(" of %(count)s requirements of the law are met, computed from the data.")
        % {"count": checklist.total},
    )
    document.paragraph(
        _("Mandate period %(start)s – %(end)s.")
        % {
            "start": f"{checklist.mandate_start:%Y-%m-%d}",
            "end": f"{checklist.mandate_end:%Y-%m-%d}",
        }
    )
    rows = []
    for item in checklist.items:
        evidence_parts: list = [item.detail]
        for index, figure in enumerate(item.figures):
            evidence_parts += ["; ", document.adopt(f"law.{item.key}.{index}", item.label, figure)]
        rows.append(
            [
                item.paragraph,
                item.label,
                _("Met") if item.met else _("Not met"),
                "".join(str(p) for p in evidence_parts)
                + (f" ({item.evidence_label})" if item.evidence_label else ""),
            ]
        )
    document.table([_("Section"), _("Requirement"), _("Met"), _("Evidence")], rows)
    return document
