"""Pages for administratörer: onboarding, organisations, partnerships, people and invitations.

Every page reads through ``restrict(user, "manage")`` (so another kommun's people and
organisations are a 404) and every change goes through a service that writes the audit log.
"""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from trygg.core import services
from trygg.core.access import MANAGE, VIEW, scope_for
from trygg.core.choices import Role
from trygg.core.filters import FilterSet
from trygg.core.forms import (
    InvitationAcceptForm,
    InvitationForm,
    MembershipForm,
    OrganisationCreateForm,
    OrganisationEditForm,
    PartnershipForm,
    PartnershipRenewForm,
    administered_organisations,
)
from trygg.core.listing import RestrictedListView
from trygg.core.models import Area, Invitation, Membership, Organisation, Partnership
from trygg.core.tables import Column, Table
from trygg.core.views import add_form_errors


def is_administrator(user) -> bool:
    scope = scope_for(user)
    return scope.is_superuser or bool(scope.organisation_ids(MANAGE))


def require_administrator(user) -> None:
    """Pages for administratörer only: anyone else gets a 404, as for an unknown page."""
    if not is_administrator(user):
        raise Http404


def _form_error(form, error: ValidationError | PermissionDenied) -> None:
    if isinstance(error, PermissionDenied):
        error = ValidationError(str(error))
    add_form_errors(form, error)


# Getting started


@login_required
def first_run(request):
    """Kom igång: what a new administratör does next, with how far each step has come."""
    require_administrator(request.user)
    organisations = list(administered_organisations(request.user))
    top = [o for o in organisations if o.parent_id is None and o.steward_id is None] or [
        o for o in organisations
    ][:1]
    organisation = top[0] if top else None
    plan_model = apps.get_model("plans", "Plan")
    series_model = apps.get_model("stats", "IndicatorSeries")
    ids = [o.pk for o in organisations]
    counts = {
        "members": Membership.objects.filter(organisation_id__in=ids, is_active=True).count(),
        "invitations": Invitation.objects.pending().filter(organisation_id__in=ids).count(),
        "areas": Area.objects.filter(organisation_id__in=ids).count(),
        "plans": plan_model.objects.restrict(request.user, VIEW).count(),
        "series": series_model.objects.restrict(request.user, VIEW).count(),
        "partners": Partnership.objects.restrict(request.user, VIEW).count(),
    }
    steps = [
        {
            "title": _("Invite the people who work with safety"),
            "text": _(
                "The säkerhetsstrateg, the working groups and the partners' contacts. Each gets "
                "a link by e-mail that works once."
            ),
            "done": counts["members"] > 1 or counts["invitations"] > 0,
            "status": _("%(members)s members, %(invitations)s invitations waiting") % counts,
            "links": [
                (reverse("core:invitation_create"), _("Invite a person")),
                (reverse("core:people"), _("People")),
            ],
        },
        {
            "title": _("Add the kommundelar"),
            "text": _(
                "The parts of the kommun that plans, reports and the situation picture are "
                "broken down by. Draw nothing: import a GeoJSON file, or add them by name."
            ),
            "done": counts["areas"] > 0,
            "status": _("%(areas)s areas") % counts,
            "links": [
                (reverse("core:area_import"), _("Import GeoJSON")),
                (reverse("core:area_create"), _("New area")),
            ],
        },
        {
            "title": _("Register partners and sub-organisations"),
            "text": _(
                "The local police area, housing companies and associations you work with, and "
                "the kommun's own förvaltningar, nämnder and bolag."
            ),
            "done": counts["partners"] > 0,
            "status": _("%(partners)s partnerships") % counts,
            "links": [(reverse("core:organisation_create"), _("New organisation"))],
        },
        {
            "title": _("Import a plan"),
            "text": _(
                "An existing åtgärdsplan or plan för samverkan, as a Word or text file, or a "
                "list of measures as CSV or Excel."
            ),
            "done": counts["plans"] > 0,
            "status": _("%(plans)s plans") % counts,
            "links": [(reverse("plans:plan_import_new"), _("Import a plan"))],
        },
        {
            "title": _("Import statistics"),
            "text": _(
                "Reported crime from Brå, population and survey results from SCB (PC-Axis) or "
                "a spreadsheet."
            ),
            "done": counts["series"] > 0,
            "status": _("%(series)s series") % counts,
            "links": [(reverse("stats:import_index"), _("Import statistics"))],
        },
    ]
    return render(
        request,
        "core/first_run.html",
        {"organisation": organisation, "steps": steps, "title": _("Get started")},
    )


# Invitations: accepting


def invitation_accept(request, key):
    """The invitation link: a new person chooses a password; someone who already has a login
    (with the invited address) logs in and accepts. The link works once."""
    invitation = services.invitation_for_key(key)
    if invitation is None:
        return render(request, "core/invitation_invalid.html", status=404)
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.filter(username__iexact=invitation.email).first()
    if existing is None:
        existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    context = {"invitation": invitation, "title": _("Invitation to Trygg")}
    if existing is not None:
        if not request.user.is_authenticated:
            context["login_url"] = f"{reverse('login')}?next={request.path}"
            return render(request, "core/invitation_accept.html", context)
        if request.user.pk != existing.pk:
            context["wrong_user"] = True
            return render(request, "core/invitation_accept.html", context)
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("core:home")
            messages.success(
                request,
                _("You are now a member of %(organisation)s.")
                % {"organisation": invitation.organisation},
            )
            return redirect(_landing(request.user))
        context["confirm"] = True
        return render(request, "core/invitation_accept.html", context)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, _membership = services.invitation_accept_with_password(
                invitation=invitation,
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_form_errors(form, error)
            else:
                form.add_error("password1", error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome! Your user name is %(username)s.") % {"username": user.username},
            )
            return redirect(_landing(user))
    context["form"] = form
    return render(request, "core/invitation_accept.html", context)


def _landing(user) -> str:
    """An administratör starts on the first-run page; everyone else on the start page."""
    return reverse("core:first_run") if is_administrator(user) else reverse("core:home")


# People (memberships)


class PeopleFilter(FilterSet):
    q = forms.CharField(label=gettext_lazy("Search"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Organisation")
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"))
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[
            ("", "—"),
            ("1", gettext_lazy("Active")),
            ("0", gettext_lazy("Deactivated")),
        ],
    )
    lookups = {"role": "role"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.restrict(
            self.user, MANAGE
        ).order_by("name")
        self.fields["organisation"].empty_label = "—"
        self.fields["role"].choices = [("", "—"), *Role.choices]

    def filter_q(self, queryset, value):
        return queryset.filter(
            Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
            | Q(user__email__icontains=value)
            | Q(user__username__icontains=value)
            | Q(title__icontains=value)
        )

    def filter_organisation(self, queryset, value):
        return queryset.filter(organisation=value)

    def filter_status(self, queryset, value):
        return queryset.filter(is_active=value == "1")


def _areas_text(membership) -> str:
    return ", ".join(a.name for a in membership.areas.all()) or _("Whole organisation")


class PeopleTable(Table):
    default_sort = "name"
    columns = [
        Column(
            "name",
            gettext_lazy("Name"),
            lambda m: m.user.get_full_name() or m.user.username,
            sort="user__last_name",
            link=lambda m: reverse("core:membership_edit", args=[m.pk]),
        ),
        Column("email", gettext_lazy("E-mail"), lambda m: m.user.email, sort="user__email"),
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            lambda m: m.organisation.name,
            sort="organisation__name",
        ),
        Column("role", gettext_lazy("Role"), lambda m: m.get_role_display(), sort="role"),
        Column("title", pgettext_lazy("job title", "Title"), lambda m: m.title, sort="title"),
        Column("areas", gettext_lazy("Limited to"), _areas_text),
        Column(
            "last_login",
            gettext_lazy("Last logged in"),
            lambda m: m.user.last_login,
            sort="user__last_login",
        ),
        Column(
            "active",
            gettext_lazy("Active"),
            lambda m: _("Yes") if m.is_active and m.user.is_active else _("No"),
            sort="is_active",
        ),
    ]


class PeopleListView(RestrictedListView):
    """Personer: the memberships of the organisations the administratör administers."""

    model = Membership
    filterset_class = PeopleFilter
    table_class = PeopleTable
    title = gettext_lazy("People")
    export_name = "personer"
    create_label = gettext_lazy("Invite a person")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_administrator(request.user)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return (
            Membership.objects.restrict(self.request.user, MANAGE)
            .select_related("user", "organisation")
            .prefetch_related("areas")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["create_url"] = reverse("core:invitation_create")
        waiting = Invitation.objects.restrict(self.request.user, MANAGE).pending().count()
        context["extra_actions"] = [
            (
                reverse("core:invitation_list"),
                _("Invitations (%(count)s waiting)") % {"count": waiting},
            )
        ]
        return context


@login_required
def membership_edit(request, pk):
    membership = get_object_or_404(
        Membership.objects.restrict(request.user, MANAGE).select_related("user", "organisation"),
        pk=pk,
    )
    initial = {
        "role": membership.role,
        "title": membership.title,
        "areas": list(membership.areas.all()),
    }
    form = MembershipForm(
        request.POST or None, initial=initial, organisation=membership.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                actor=request.user, membership=membership, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The membership was saved."))
            return redirect("core:people")
    return render(
        request,
        "core/membership_edit.html",
        {
            "form": form,
            "membership": membership,
            "person": membership.user,
            "title": membership.user.get_full_name() or membership.user.username,
            "history_url": reverse("core:history", args=["core", "membership", membership.pk]),
            "is_self": membership.user_id == request.user.pk,
        },
    )


@login_required
def membership_deactivate(request, pk):
    membership = get_object_or_404(
        Membership.objects.restrict(request.user, MANAGE).select_related("user", "organisation"),
        pk=pk,
        is_active=True,
    )
    if request.method == "POST":
        try:
            services.membership_deactivate(actor=request.user, membership=membership)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
            return redirect("core:membership_edit", pk=membership.pk)
        messages.success(
            request,
            _("%(name)s no longer has access to %(organisation)s.")
            % {
                "name": membership.user.get_full_name() or membership.user.username,
                "organisation": membership.organisation,
            },
        )
        return redirect("core:people")
    others = membership.user.memberships.filter(is_active=True).exclude(pk=membership.pk).count()
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("Deactivate %(name)s in %(organisation)s?")
            % {
                "name": membership.user.get_full_name() or membership.user.username,
                "organisation": membership.organisation,
            },
            "consequence": _(
                "The person loses access to the organisation at once. They have no other "
                "membership, so their login is closed: every session and API token ends now."
            )
            if not others
            else _(
                "The person loses access to this organisation at once; their other "
                "memberships are not touched."
            ),
            "submit_label": _("Yes, deactivate"),
            "cancel_url": reverse("core:membership_edit", args=[membership.pk]),
        },
    )


@login_required
@require_POST
def membership_reactivate(request, pk):
    membership = get_object_or_404(
        Membership.objects.restrict(request.user, MANAGE), pk=pk, is_active=False
    )
    try:
        services.membership_reactivate(actor=request.user, membership=membership)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("The membership is active again."))
    return redirect("core:membership_edit", pk=membership.pk)


# Invitations: sending


@login_required
def invitation_create(request):
    require_administrator(request.user)
    initial = {}
    if request.GET.get("organisation", "").isdigit():
        initial["organisation"] = request.GET["organisation"]
    form = InvitationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _key = services.invitation_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s. The link works once and expires %(date)s.")
                % {
                    "email": invitation.email,
                    "date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
                },
            )
            return redirect("core:invitation_list")
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Invite a person"),
            "intro": _(
                "The person gets an e-mail with a link that works once. They choose a password, "
                "or sign in with the kommun's single sign-on using the same address."
            ),
            "submit_label": _("Send invitation"),
            "cancel_url": reverse("core:people"),
        },
    )


class InvitationFilter(FilterSet):
    q = forms.CharField(label=gettext_lazy("Search"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Organisation")
    )
    state = forms.ChoiceField(label=gettext_lazy("Status"))
    lookups = {"q": "email__icontains"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.restrict(
            self.user, MANAGE
        ).order_by("name")
        self.fields["organisation"].empty_label = "—"
        self.fields["state"].choices = [("", "—"), *Invitation.State.choices]

    def filter_organisation(self, queryset, value):
        return queryset.filter(organisation=value)

    def filter_state(self, queryset, value):
        now = timezone.now()
        return {
            Invitation.State.PENDING: queryset.pending(),
            Invitation.State.ACCEPTED: queryset.filter(accepted_at__isnull=False),
            Invitation.State.REVOKED: queryset.filter(revoked=True),
            Invitation.State.EXPIRED: queryset.filter(
                accepted_at__isnull=True, revoked=False, expires_at__lte=now
            ),
        }[value]


class InvitationTable(Table):
    default_sort = "-created"
    columns = [
        Column("email", gettext_lazy("E-mail"), lambda i: i.email, sort="email"),
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            lambda i: i.organisation.name,
            sort="organisation__name",
        ),
        Column("role", gettext_lazy("Role"), lambda i: i.get_role_display(), sort="role"),
        Column("state", gettext_lazy("Status"), lambda i: i.get_state_display()),
        Column("created", gettext_lazy("Sent"), lambda i: i.sent_at, sort="sent_at"),
        Column("expires", gettext_lazy("Expires"), lambda i: i.expires_at, sort="expires_at"),
        Column(
            "by",
            gettext_lazy("Invited by"),
            lambda i: i.created_by.get_full_name() if i.created_by else _("System"),
        ),
    ]


class InvitationListView(RestrictedListView):
    model = Invitation
    filterset_class = InvitationFilter
    table_class = InvitationTable
    title = gettext_lazy("Invitations")
    export_name = "inbjudningar"
    template_name = "core/invitation_list.html"
    create_label = gettext_lazy("Invite a person")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_administrator(request.user)
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return Invitation.objects.restrict(self.request.user, MANAGE).select_related(
            "organisation", "created_by"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["create_url"] = reverse("core:invitation_create")
        context["extra_actions"] = [(reverse("core:people"), _("People"))]
        context["row_actions_template"] = "core/_invitation_actions.html"
        context["valid_days"] = settings.INVITATION_VALID_DAYS
        return context


@login_required
@require_POST
def invitation_resend(request, pk):
    invitation = get_object_or_404(Invitation.objects.restrict(request.user, MANAGE), pk=pk)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("A new link was sent to %(email)s; the old one no longer works.")
            % {"email": invitation.email},
        )
    return redirect("core:invitation_list")


@login_required
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(Invitation.objects.restrict(request.user, MANAGE), pk=pk)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation was revoked."))
    return redirect("core:invitation_list")


# Organisations


@login_required
def organisation_create(request):
    require_administrator(request.user)
    from trygg.core.choices import CHILD_KINDS

    form = OrganisationCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = data["kind"] in CHILD_KINDS
        try:
            organisation = services.organisation_register(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                parent=data["owner"] if child else None,
                steward=None if child else data["owner"],
                organisation_number=data["organisation_number"],
                partnership_name=data["partnership_name"],
            )
        except (ValidationError, PermissionDenied) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The organisation was created."))
            return redirect("core:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("New organisation"),
            "intro": _(
                "A sub-organisation (stadsdelsförvaltning, nämnd, bolag) is part of yours and "
                "its people see what it owns. A partner organisation (polis, bostadsbolag, "
                "förening, företag) stands on its own; it gets a partnership with yours."
            ),
            "cancel_url": reverse("core:organisation_list"),
        },
    )


@login_required
def organisation_edit(request, pk):
    organisation = get_object_or_404(Organisation.objects.restrict(request.user, MANAGE), pk=pk)
    initial = {
        "name": organisation.name,
        "kind": organisation.kind,
        "organisation_number": organisation.organisation_number,
    }
    form = OrganisationEditForm(request.POST or None, initial=initial, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("core:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": organisation.name,
            "cancel_url": reverse("core:organisation_detail", args=[organisation.pk]),
            "history_url": reverse("core:history", args=["core", "organisation", organisation.pk]),
        },
    )


@login_required
def organisation_deactivate(request, pk):
    organisation = get_object_or_404(Organisation.objects.restrict(request.user, MANAGE), pk=pk)
    if not services.can_deactivate(request.user, organisation):
        raise Http404
    if request.method == "POST":
        try:
            services.organisation_deactivate(actor=request.user, organisation=organisation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The organisation was deactivated."))
        return redirect("core:organisation_detail", pk=organisation.pk)
    members = organisation.memberships.filter(is_active=True).count()
    return render(
        request,
        "core/confirm.html",
        {
            "title": _("Deactivate %(name)s?") % {"name": organisation},
            "consequence": _(
                "Its %(members)s active members lose their access at once, its waiting "
                "invitations are revoked and its partnerships end. Its data and history stay."
            )
            % {"members": members},
            "submit_label": _("Yes, deactivate"),
            "cancel_url": reverse("core:organisation_detail", args=[organisation.pk]),
        },
    )


# Partnerships


def sharing_text(partnership: Partnership) -> list[str]:
    """What the partnership shares, in words, for its page."""
    owner, partner = partnership.organisation, partnership.partner
    names = {"owner": owner, "partner": partner}
    return [
        _(
            "%(owner)s can share a plan, a forum or a situation picture with %(partner)s by "
            "naming it on that plan, forum or picture. Nothing is shared by the partnership "
            "alone."
        )
        % names,
        _(
            "%(partner)s then sees what is shared, and reports the status of the measures it "
            "is responsible for; it never sees the rest of %(owner)s's data, its people or its "
            "incident reports."
        )
        % names,
        _("The same holds the other way round for what %(partner)s shares with %(owner)s.") % names,
        _(
            "When the partnership ends, the sharing stops the day after its end date; what was "
            "written together stays with the organisation that owns it."
        ),
    ]


@login_required
def partnership_create(request):
    require_administrator(request.user)
    initial = {}
    if request.GET.get("organisation", "").isdigit():
        initial["organisation"] = request.GET["organisation"]
    form = PartnershipForm(
        request.POST or None,
        user=request.user,
        initial={**initial, "starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The partnership was created."))
            return redirect("core:partnership_detail", pk=partnership.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("New partnership"),
            "cancel_url": reverse("core:organisation_list"),
        },
    )


@login_required
def partnership_detail(request, pk):
    partnership = get_object_or_404(
        Partnership.objects.restrict(request.user, VIEW).select_related("organisation", "partner"),
        pk=pk,
    )
    can_manage = Partnership.objects.restrict(request.user, MANAGE).filter(pk=pk).exists()
    form = None
    if can_manage:
        form = PartnershipRenewForm(
            request.POST or None,
            initial={
                "name": partnership.name,
                "diarienummer": partnership.diarienummer,
                "starts_on": partnership.starts_on,
                "ends_on": partnership.ends_on,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.partnership_renew(
                    actor=request.user, partnership=partnership, **form.cleaned_data
                )
            except (ValidationError, PermissionDenied) as error:
                _form_error(form, error)
            else:
                messages.success(request, _("The partnership was saved."))
                return redirect("core:partnership_detail", pk=partnership.pk)
    elif request.method == "POST":
        raise Http404
    today = timezone.localdate()
    current = (partnership.starts_on is None or partnership.starts_on <= today) and (
        partnership.ends_on is None or partnership.ends_on >= today
    )
    return render(
        request,
        "core/partnership_detail.html",
        {
            "partnership": partnership,
            "sharing": sharing_text(partnership),
            "form": form,
            "current": current,
            "title": str(partnership),
            "history_url": reverse("core:history", args=["core", "partnership", partnership.pk]),
        },
    )


@login_required
@require_POST
def partnership_end(request, pk):
    partnership = get_object_or_404(Partnership.objects.restrict(request.user, MANAGE), pk=pk)
    try:
        services.partnership_end(actor=request.user, partnership=partnership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The partnership has ended."))
    return redirect("core:partnership_detail", pk=partnership.pk)
