"""Pages of the youth cases (/ungdomar/). Every read of a case goes through
``selectors.case_list`` or ``selectors.case_get``, which log it; a case the user is not in is
a 404, whether or not it exists."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from trygg.cases import selectors, services
from trygg.cases.access import CHANGE, MANAGE, can_use_cases, two_factor_missing
from trygg.cases.choices import CaseRoleKind, ForumKindsForNotes
from trygg.cases.forms import (
    CaseEditForm,
    CaseFilter,
    CaseForm,
    CaseRoleForm,
    CloseForm,
    ConsentForm,
    EmergencyForm,
    FollowUpForm,
    MeetingNoteForm,
    NoteForm,
    ParticipantForm,
    PlanEntryForm,
    SatisfactionForm,
    StatisticsForm,
)
from trygg.cases.models import Case, CaseParticipant, CasePlanEntry, CaseRole, Consent
from trygg.core.access import MANAGE as CORE_MANAGE
from trygg.core.access import VIEW, member_organisation_ids
from trygg.core.choices import AccessPurpose
from trygg.core.editing import form_page, refusal_text, submit
from trygg.core.exports import EXPORT_FORMATS, export_rows
from trygg.core.models import Organisation

PER_PAGE = 50


def case_view(view):
    """Login, and the second factor once TOTP is installed (everyone who can read cases)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if two_factor_missing(request):
            setup_url = None
            for name in ("core:two_factor_verify", "core:two_factor_enrol"):
                try:
                    setup_url = reverse(name)
                    break
                except NoReverseMatch:
                    continue
            return render(
                request, "cases/two_factor_required.html", {"setup_url": setup_url}, status=403
            )
        return view(request, *args, **kwargs)

    return wrapper


def _meetings_for_notes(user, case_organisation_id=None):
    from trygg.forums.models import Meeting

    queryset = Meeting.objects.restrict(user, VIEW).filter(
        forum__kind__in=ForumKindsForNotes, starts_at__lte=timezone.now()
    )
    if case_organisation_id is not None:
        queryset = queryset.filter(organisation_id=case_organisation_id)
    return queryset.select_related("forum").order_by("-starts_at")[:40]


class _Window:
    """One page of already-fetched cases standing in for the whole list, for the Paginator."""

    def __init__(self, total, cases, offset):
        self.total, self.cases, self.offset = total, cases, offset

    def __len__(self):
        return self.total

    def count(self):
        return self.total

    def __getitem__(self, key):
        start = (key.start or 0) - self.offset
        return self.cases[max(start, 0) : max(start, 0) + len(self.cases)]


def _export(cases, fmt):
    headers = [
        _("Case number"),
        _("Name"),
        _("Programme"),
        _("Status"),
        _("Start date"),
        _("Closed on"),
        _("Home area"),
        _("School"),
        _("Coordinator"),
    ]
    rows = [
        [
            c.reference,
            c.youth_name,
            c.get_programme_display(),
            c.get_status_display(),
            c.start_date,
            c.closed_on,
            c.home_area.name if c.home_area else "",
            c.school,
            c.coordinator.get_full_name() or c.coordinator.username,
        ]
        for c in cases
    ]
    return export_rows(headers, rows, fmt, "ungdomsarenden")


@case_view
def case_list(request):
    """Ungdomsärenden: the cases the user takes part in; search, filters, sort and export."""
    if not can_use_cases(request.user):
        raise Http404
    # A personnummer never stands in an address (server logs, browser history, the language
    # form): the search form is posted, and a number is replaced by its keyed hash.
    source = request.POST if request.method == "POST" else request.GET
    key = selectors.search_key(source.get("q", ""))
    if request.method == "POST" or key is not None:
        params = {k: source.get(k) for k in ("programme", "status", "sort") if source.get(k)}
        if key is not None:
            params["pnr"] = key or "ogiltigt"
        elif source.get("q"):
            params["q"] = source.get("q")
        return redirect(request.path + ("?" + urlencode(params) if params else ""))
    filterset = CaseFilter(request.GET or None)
    filters = filterset.cleaned_data if filterset.is_valid() else {}
    pnr_hash = request.GET.get("pnr", "")
    sort = request.GET.get("sort") or "-start"
    if sort.lstrip("-") not in selectors.SORTS:
        sort = "-start"
    params = {
        "programme": filters.get("programme") or "",
        "status": filters.get("status") or "",
        "q": filters.get("q") or "",
        "sort": sort,
        "personnummer_hash": pnr_hash,
    }
    fmt = request.GET.get("format")
    if fmt in EXPORT_FORMATS:
        result = selectors.case_list(
            user=request.user, path=request.path, purpose=AccessPurpose.EXPORT, **params
        )
        return _export(result.cases, fmt)
    try:
        number = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        number = 1
    offset = (number - 1) * PER_PAGE
    result = selectors.case_list(
        user=request.user, path=request.path, offset=offset, limit=PER_PAGE, **params
    )
    if not result.cases and number > 1 and result.total:
        number = (result.total - 1) // PER_PAGE + 1
        offset = (number - 1) * PER_PAGE
        result = selectors.case_list(
            user=request.user, path=request.path, offset=offset, limit=PER_PAGE, **params
        )
    paginator = Paginator(_Window(result.total, result.cases, offset), PER_PAGE)
    page = paginator.get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    # Search terms (maybe a personnummer) are not put back into links or the export address.
    export_query = query.copy()
    return render(
        request,
        "cases/case_list.html",
        {
            "title": _("Youth coordination"),
            "filterset": filterset,
            "cases": result.cases,
            "page_obj": page,
            "paginator": paginator,
            "sort": sort,
            "query": export_query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "searching": bool(params["q"] or pnr_hash),
            "searching_personnummer": bool(pnr_hash),
            "can_create": selectors.can_create(request.user),
            "can_break_glass": selectors.can_break_glass(request.user),
            "can_read_log": selectors.can_read_access_log(request.user),
            "columns": [
                ("reference", _("Case number")),
                ("name", _("Name")),
                ("programme", _("Programme")),
                ("status", _("Status")),
                ("start", _("Start date")),
                (None, _("Home area")),
                (None, _("School")),
            ],
        },
    )


@case_view
def case_create(request):
    organisations = selectors.coordinator_organisations(request.user)
    if not organisations.exists():
        raise Http404
    form = CaseForm(request.POST or None, organisations=organisations)
    return form_page(
        request,
        form,
        lambda data: services.case_create(actor=request.user, **data),
        title=_("New youth case"),
        success=lambda case: _("The case %(ref)s was opened.") % {"ref": case.reference},
        done=lambda case: reverse("cases:case_detail", args=[case.pk]),
        cancel_url=reverse("cases:case_list"),
        context={
            "intro": _(
                "Record consent and participants on the case page once it is opened. "
                "Until a consent is recorded only you see the case."
            )
        },
    )


@case_view
def case_detail(request, pk):
    case = selectors.case_get(user=request.user, pk=pk, path=request.path)
    can_manage = selectors.can(request.user, case, MANAGE)
    can_change = can_manage or selectors.can(request.user, case, CHANGE)
    consents = list(case.consents.prefetch_related("organisations", "kommuner"))
    participants = list(case.participants.select_related("user", "organisation"))
    entries = list(
        case.plan_entries.prefetch_related("follow_ups__created_by").select_related("created_by")
    )
    notes = list(case.notes.select_related("meeting__forum", "created_by"))
    answers = list(case.satisfaction.all())
    emergencies = selectors.case_emergency_accesses(user=request.user, case=case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "title": f"{case.reference} – {case.youth_name}",
            "has_valid_consent": any(c.is_valid for c in consents),
            "consents": consents,
            "participants": [p for p in participants if p.removed_at is None],
            "former_participants": [p for p in participants if p.removed_at is not None],
            "entries": entries,
            "notes": notes,
            "answers": answers,
            "emergencies": emergencies,
            "can_manage": can_manage,
            "can_change": can_change,
            "can_read_log": can_manage,
            "via_emergency": not can_change,
            "today": timezone.localdate(),
        },
    )


def _case_form(request, pk, action, form_factory, save, *, title, success, anchor=""):
    case = selectors.case_get(user=request.user, pk=pk, path=request.path, action=action)
    form = form_factory(case, request.POST or None)
    back = reverse("cases:case_detail", args=[case.pk]) + anchor
    return form_page(
        request,
        form,
        lambda data: save(case, data),
        title=title % {"ref": case.reference},
        success=success,
        done=back,
        cancel_url=back,
    )


@case_view
def case_edit(request, pk):
    def factory(case, data):
        initial = {
            "youth_name": case.youth_name,
            "gender": case.gender,
            "school": case.school,
            "home_area": case.home_area_id,
            "coordinator": case.coordinator_id,
        }
        return CaseEditForm(data, initial=initial, case=case)

    return _case_form(
        request,
        pk,
        MANAGE,
        factory,
        lambda case, data: services.case_update(actor=request.user, case=case, **data),
        title=_("Edit %(ref)s"),
        success=_("The case was saved."),
    )


@case_view
def plan_entry_add(request, pk):
    return _case_form(
        request,
        pk,
        CHANGE,
        lambda case, data: PlanEntryForm(data),
        lambda case, data: services.plan_entry_add(actor=request.user, case=case, **data),
        title=_("New plan entry in %(ref)s"),
        success=_("The plan entry was added."),
        anchor="#plan",
    )


@case_view
def plan_follow_up(request, pk):
    entry = get_object_or_404(CasePlanEntry.objects.only("pk", "case_id"), pk=pk)
    case = selectors.case_get(user=request.user, pk=entry.case_id, path=request.path, action=CHANGE)
    entry = case.plan_entries.get(pk=pk)
    form = FollowUpForm(
        request.POST or None,
        initial={"followed_up_on": timezone.localdate(), "status": entry.status},
    )
    back = reverse("cases:case_detail", args=[case.pk]) + "#plan"
    return form_page(
        request,
        form,
        lambda data: services.plan_entry_follow_up(actor=request.user, entry=entry, **data),
        title=_("Follow up the plan entry due %(date)s") % {"date": entry.due_date},
        success=_("The follow-up was recorded."),
        done=back,
        cancel_url=back,
        context={"intro": entry.what_is_needed},
    )


@case_view
def note_add(request, pk):
    def factory(case, data):
        meetings = _meetings_for_notes(request.user, case.organisation_id)
        return NoteForm(data, meetings=meetings, initial={"held_on": timezone.localdate()})

    return _case_form(
        request,
        pk,
        CHANGE,
        factory,
        lambda case, data: services.note_add(actor=request.user, case=case, **data),
        title=_("New individual note in %(ref)s"),
        success=_("The note was added."),
        anchor="#notes",
    )


@case_view
def meeting_note_add(request, meeting_pk):
    """Individual part of a forum meeting: a note in one of the user's cases, linked to the
    meeting, instead of individual information in the minutes."""
    from trygg.forums.models import Meeting

    meeting = get_object_or_404(
        Meeting.objects.restrict(request.user, VIEW).select_related("forum"), pk=meeting_pk
    )
    result = selectors.case_list(
        user=request.user, path=request.path, action=CHANGE, status="aktuell", sort="name"
    )
    if not result.cases:
        raise Http404
    cases = Case.objects.filter(
        pk__in=[c.pk for c in result.cases if c.organisation_id == meeting.organisation_id]
    ).order_by("youth_name")
    kind = {"individavstamning": "individavstamning", "sspf": "sspf"}.get(
        meeting.forum.kind, "annat"
    )
    form = MeetingNoteForm(
        request.POST or None,
        cases=cases,
        meetings=_meetings_for_notes(request.user),
        initial={"held_on": timezone.localdate(meeting.starts_at), "kind": kind},
    )

    def add(data):
        case = selectors.case_get(
            user=request.user, pk=data.pop("case").pk, path=request.path, action=CHANGE
        )
        services.note_add(actor=request.user, case=case, meeting=meeting, **data)
        return case

    return form_page(
        request,
        form,
        add,
        title=_("Individual note from %(meeting)s") % {"meeting": meeting},
        success=lambda case: _("The note was added to %(ref)s.") % {"ref": case.reference},
        done=reverse("forums:meeting_detail", args=[meeting.pk]) + "#individual",
        cancel_url=reverse("forums:meeting_detail", args=[meeting.pk]),
        context={
            "intro": _(
                "The note is kept in the youth's case and seen only by those in the case. "
                "The meeting's minutes keep the general part."
            )
        },
    )


@case_view
def consent_add(request, pk):
    def factory(case, data):
        return ConsentForm(
            data,
            case=case,
            initial={"valid_from": timezone.localdate(), "organisations": [case.organisation_id]},
        )

    return _case_form(
        request,
        pk,
        MANAGE,
        factory,
        lambda case, data: services.consent_add(actor=request.user, case=case, **data),
        title=_("Record consent in %(ref)s"),
        success=_("The consent was recorded."),
        anchor="#consent",
    )


@case_view
def consent_withdraw(request, pk):
    consent = get_object_or_404(Consent.objects.only("pk", "case_id"), pk=pk)
    case = selectors.case_get(
        user=request.user, pk=consent.case_id, path=request.path, action=MANAGE
    )
    consent = case.consents.get(pk=pk)
    back = reverse("cases:case_detail", args=[case.pk]) + "#consent"
    if request.method == "POST":
        try:
            services.consent_withdraw(actor=request.user, consent=consent)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("The consent was withdrawn. The access it gave has ended."))
        return redirect(back)
    return render(
        request,
        "cases/confirm.html",
        {
            "title": _("Withdraw the consent?"),
            "text": _("Participants covered only by this consent lose access to the case at once."),
            "button": _("Yes, withdraw"),
            "cancel_url": back,
        },
    )


@case_view
def participant_add(request, pk):
    return _case_form(
        request,
        pk,
        MANAGE,
        lambda case, data: ParticipantForm(data, case=case),
        lambda case, data: services.participant_add(actor=request.user, case=case, **data),
        title=_("Add a participant to %(ref)s"),
        success=_("The participant was added."),
        anchor="#participants",
    )


@case_view
def participant_remove(request, pk):
    participant = get_object_or_404(CaseParticipant.objects.only("pk", "case_id"), pk=pk)
    case = selectors.case_get(
        user=request.user, pk=participant.case_id, path=request.path, action=MANAGE
    )
    participant = case.participants.select_related("user").get(pk=pk)
    back = reverse("cases:case_detail", args=[case.pk]) + "#participants"
    if request.method == "POST":
        try:
            services.participant_remove(actor=request.user, participant=participant)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_text(error))
        else:
            messages.success(request, _("The participant was removed and no longer sees the case."))
        return redirect(back)
    return render(
        request,
        "cases/confirm.html",
        {
            "title": _("Remove %(name)s from the case?")
            % {"name": participant.user.get_full_name() or participant.user.username},
            "text": _("They lose access to the case at once. Their earlier reads stay in the log."),
            "button": _("Yes, remove"),
            "cancel_url": back,
        },
    )


@case_view
def satisfaction_add(request, pk):
    """Nöjdhetsuppföljning: the youth's or a guardian's answer, at any time in the case."""

    def factory(case, data):
        return SatisfactionForm(data, initial={"answered_on": timezone.localdate()})

    return _case_form(
        request,
        pk,
        CHANGE,
        factory,
        lambda case, data: services.satisfaction_record(actor=request.user, case=case, **data),
        title=_("Satisfaction follow-up in %(ref)s"),
        success=_("The answer was recorded."),
        anchor="#satisfaction",
    )


@case_view
def case_close(request, pk):
    def factory(case, data):
        return CloseForm(data, initial={"closed_on": timezone.localdate()})

    return _case_form(
        request,
        pk,
        MANAGE,
        factory,
        lambda case, data: services.case_close(actor=request.user, case=case, **data),
        title=_("Close %(ref)s"),
        success=_("The case was closed."),
    )


@case_view
def access_log(request, pk=None):
    """Åtkomstlogg: who read which case, when and how – for the coordinator and the unit
    manager of the participants."""
    if not can_use_cases(request.user):
        raise Http404
    reference = None
    if pk is not None:
        if pk not in selectors.access_log_case_ids(request.user):
            raise Http404
        # Only the case number, which is what the log itself shows.
        reference = Case.objects.filter(pk=pk).values_list("reference", flat=True).first()
    entries = selectors.case_access_log(user=request.user, case_id=pk)
    paginator = Paginator(entries.order_by("-at", "-pk"), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "cases/access_log.html",
        {
            "title": _("Access log %(ref)s") % {"ref": reference}
            if reference
            else _("Access log of youth cases"),
            "case_id": pk,
            "page_obj": page,
            "paginator": paginator,
            "entries": page.object_list,
        },
    )


@case_view
def emergency(request):
    """Bryt glaset: the emergency role opens one case, with a reason."""
    if not selectors.can_break_glass(request.user):
        raise Http404
    form = EmergencyForm(request.POST or None)

    def open_case(data):
        case = selectors.emergency_find(
            user=request.user, reference=data["reference"], personnummer=data["personnummer"]
        )
        if case is None:
            raise ValidationError(_("No case matches."))
        services.emergency_access_open(actor=request.user, case=case, reason=data["reason"])
        return case

    case = submit(form, open_case, request=request)
    if case is not None:
        messages.warning(
            request,
            _("Emergency access is open and logged. The coordinator is shown the reason."),
        )
        return redirect("cases:case_detail", pk=case.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Emergency access (break the glass)"),
            "intro": _(
                "Open a case you are not in only when it cannot wait. The access lasts a few "
                "hours, every read is logged and flagged, and the coordinator is shown your reason."
            ),
            "submit_label": _("Open the case"),
            "cancel_url": reverse("cases:case_list"),
        },
    )


@case_view
def statistics(request):
    """Statistik: suppressed for everyone but the coordinator."""
    organisations = Organisation.objects.filter(
        Q(pk__in=member_organisation_ids(request.user, VIEW))
        | Q(pk__in=selectors.coordinator_organisations(request.user).values("pk"))
    )
    # Only organisations that run the programmes (they have a case coordinator).
    organisations = organisations.filter(
        pk__in=CaseRole.objects.filter(role=CaseRoleKind.COORDINATOR).values("organisation")
    )
    organisations = organisations.filter(
        pk__in=[o.pk for o in organisations if selectors.statistics_access(request.user, o)]
    )
    if not organisations.exists():
        raise Http404
    form = StatisticsForm(request.GET or None, organisations=organisations)
    stats = None
    if form.is_valid():
        stats = selectors.case_statistics(user=request.user, **form.cleaned_data)
    return render(
        request,
        "cases/statistics.html",
        {"title": _("Youth coordination in figures"), "form": form, "stats": stats},
    )


@login_required
def case_roles(request):
    """Ärendebehörigheter: administrators give the coordinator, unit manager and emergency
    roles. They do not see cases themselves."""
    organisations = Organisation.objects.filter(
        pk__in=member_organisation_ids(request.user, CORE_MANAGE)
    )
    if not organisations.exists():
        raise Http404
    form = CaseRoleForm(request.POST or None, organisations=organisations)
    roles = (
        CaseRole.objects.restrict(request.user, CORE_MANAGE)
        .select_related("user", "organisation")
        .prefetch_related("staff")
    )
    return form_page(
        request,
        form,
        lambda data: services.case_role_grant(actor=request.user, **data),
        title=_("Case roles"),
        success=_("The role was given."),
        done=reverse("cases:case_roles"),
        template="cases/case_roles.html",
        context={"roles": roles, "kinds": CaseRoleKind},
    )


@login_required
def case_role_revoke(request, pk):
    case_role = get_object_or_404(CaseRole.objects.restrict(request.user, CORE_MANAGE), pk=pk)
    if request.method == "POST":
        services.case_role_revoke(actor=request.user, case_role=case_role)
        messages.success(request, _("The role was taken away."))
        return redirect("cases:case_roles")
    return render(
        request,
        "cases/confirm.html",
        {
            "title": _("Take away the role “%(role)s” from %(user)s?")
            % {"role": case_role.get_role_display(), "user": case_role.user},
            "text": _("It takes effect at once."),
            "button": _("Yes, take away"),
            "cancel_url": reverse("cases:case_roles"),
        },
    )
