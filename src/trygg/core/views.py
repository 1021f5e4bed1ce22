"""Pages for the start page, organisations, areas, places, history, audit log and API tokens."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from trygg.core import selectors, services
from trygg.core.access import CHANGE, MANAGE, VIEW, scope_for
from trygg.core.changes import with_readable_changes
from trygg.core.choices import AuditAction
from trygg.core.editing import (
    add_form_errors,  # noqa: F401  (its old home: views merged later import it here)
    form_page,
    submit,
)
from trygg.core.filters import FilterSet
from trygg.core.forms import (
    ApiTokenForm,
    AreaForm,
    AreaImportForm,
    PlaceForm,
    area_choices,
    choose_by_label,
)
from trygg.core.listing import RestrictedListView
from trygg.core.models import ApiToken, Area, AuditEntry, Organisation, Place
from trygg.core.tables import Column, Table
from trygg.core.uploads import read_upload


@login_required
def home(request):
    """Startsida: the user's organisations and shortcuts into the work."""
    from trygg.core.administration import is_administrator
    from trygg.core.home import panels
    from trygg.situation import law  # the law checklist lives with the lägesbild it checks

    scope = scope_for(request.user)
    memberships = list(
        request.user.memberships.filter(is_active=True)
        .select_related("organisation")
        .order_by("pk")
    )
    # The kommundelar a membership is limited to, by name: read only when the scope (read
    # once for the request) has a membership limited to areas, and never their boundaries.
    limited = any(grant.area_ids is not None for grant in scope.grants)
    if limited:
        prefetch_related_objects(
            memberships, Prefetch("areas", queryset=Area.objects.only("id", "name"))
        )
    # Which of the person's own organisations they may open: those they view through a
    # role need no query; only another (a reporter's, say) is asked of restrict().
    own_view = scope.organisation_ids(VIEW)
    listed = scope.organisation_ids(VIEW) | scope.organisation_ids("report")
    member_ids = {m.organisation_id for m in memberships}
    viewable = member_ids & own_view
    unknown = (member_ids - own_view) & listed
    if unknown:
        viewable |= set(
            Organisation.objects.restrict(request.user, VIEW)
            .filter(id__in=unknown)
            .values_list("pk", flat=True)
        )
    rows = [
        (m, m.organisation_id in viewable, list(m.areas.all()) if limited else [])
        for m in memberships
    ]
    return render(
        request,
        "core/home.html",
        {
            "can_report": bool(scope.organisation_ids("report")),
            "memberships": rows,
            "panels": panels(request),
            "is_administrator": is_administrator(request.user),
            # The law checklist (lag 2023:196) of each kommun a säkerhetsstrateg runs.
            "law_checklists_html": law.home_checklists_html(user=request.user),
        },
    )


# Organisations


class OrganisationFilter(FilterSet):
    q = forms.CharField(label=gettext_lazy("Search"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=[("", "—")])
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", "—"), ("1", gettext_lazy("Active")), ("0", gettext_lazy("Deactivated"))],
    )
    lookups = {"q": "name__icontains", "kind": "kind"}

    def filter_status(self, queryset, value):
        return queryset.filter(is_active=value == "1")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from trygg.core.choices import OrganisationKind

        self.fields["kind"].choices = [("", "—"), *OrganisationKind.choices]


class OrganisationTable(Table):
    default_sort = "name"
    columns = [
        Column(
            "name",
            gettext_lazy("Name"),
            lambda o: o.name,
            sort="name",
            link=lambda o: reverse("core:organisation_detail", args=[o.pk]),
        ),
        Column("kind", gettext_lazy("Kind"), lambda o: o.get_kind_display(), sort="kind"),
        Column(
            "parent",
            gettext_lazy("Part of"),
            lambda o: o.parent.name if o.parent else "",
            sort="parent__name",
        ),
        Column(
            "active",
            gettext_lazy("Active"),
            lambda o: _("Yes") if o.is_active else _("No"),
            sort="is_active",
        ),
    ]


class OrganisationListView(RestrictedListView):
    model = Organisation
    filterset_class = OrganisationFilter
    table_class = OrganisationTable
    title = gettext_lazy("Organisations")
    export_name = "organisationer"
    create_label = gettext_lazy("New organisation")

    def base_queryset(self):
        return super().base_queryset().select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if scope_for(self.request.user).organisation_ids(MANAGE):
            context["create_url"] = reverse("core:organisation_create")
        return context


@login_required
def organisation_detail(request, pk):
    organisation = get_object_or_404(Organisation.objects.restrict(request.user, VIEW), pk=pk)
    from trygg.core.models import Partnership

    partnerships = Partnership.objects.restrict(request.user, VIEW).filter(
        organisation=organisation
    ) | Partnership.objects.restrict(request.user, VIEW).filter(partner=organisation)
    areas = (
        Area.objects.restrict(request.user, VIEW)
        .filter(organisation=organisation)
        .select_related("parent")
    )
    can_manage = Organisation.objects.restrict(request.user, MANAGE).filter(pk=pk).exists()
    return render(
        request,
        "core/organisation_detail.html",
        {
            "organisation": organisation,
            "partnerships": partnerships.select_related("organisation", "partner"),
            "areas": areas,
            "children": Organisation.objects.restrict(request.user, VIEW).filter(
                parent=organisation
            ),
            "can_manage": can_manage,
            "can_deactivate": can_manage and services.can_deactivate(request.user, organisation),
            "member_count": organisation.memberships.filter(is_active=True).count()
            if can_manage
            else None,
        },
    )


# Areas


class AreaFilter(FilterSet):
    q = forms.CharField(label=gettext_lazy("Search"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"))
    lookups = {"q": "name__icontains", "kind": "kind"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from trygg.core.choices import AreaKind

        self.fields["kind"].choices = [("", "—"), *AreaKind.choices]


class AreaTable(Table):
    default_sort = "name"
    columns = [
        Column(
            "name",
            gettext_lazy("Name"),
            lambda a: a.name,
            sort="name",
            link=lambda a: reverse("core:area_detail", args=[a.pk]),
        ),
        Column("kind", gettext_lazy("Kind"), lambda a: a.get_kind_display(), sort="kind"),
        Column("code", gettext_lazy("Code"), lambda a: a.code, sort="code"),
        Column(
            "parent",
            gettext_lazy("Part of"),
            lambda a: a.parent.name if a.parent else "",
            sort="parent__name",
        ),
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            lambda a: a.organisation.name if a.organisation else _("National reference"),
            sort="organisation__name",
        ),
    ]


class AreaListView(RestrictedListView):
    model = Area
    filterset_class = AreaFilter
    table_class = AreaTable
    title = gettext_lazy("Areas")
    empty_text = gettext_lazy(
        "There are no kommundelar yet. Add them one by one, or import their boundaries as GeoJSON."
    )
    export_name = "omraden"
    create_label = gettext_lazy("New area")

    def base_queryset(self):
        # The table and its export show names and codes, never the boundaries.
        return (
            super()
            .base_queryset()
            .select_related("parent", "organisation")
            .defer("geometry", "parent__geometry")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if scope_for(self.request.user).organisation_ids(CHANGE):
            context["create_url"] = reverse("core:area_create")
            context["extra_actions"] = [(reverse("core:area_import"), _("Import GeoJSON"))]
        return context


@login_required
def area_detail(request, pk):
    area = get_object_or_404(
        Area.objects.restrict(request.user, VIEW).select_related("parent", "organisation"), pk=pk
    )
    children = Area.objects.restrict(request.user, VIEW).filter(parent=area)
    places = Place.objects.restrict(request.user, VIEW).filter(area=area)
    return render(
        request, "core/area_detail.html", {"area": area, "children": children, "places": places}
    )


@login_required
def area_geojson(request, pk):
    """The area and its parts as GeoJSON, for the map."""
    from django.http import JsonResponse

    area = get_object_or_404(Area.objects.restrict(request.user, VIEW), pk=pk)
    features = []
    for item in [area, *Area.objects.restrict(request.user, VIEW).filter(parent=area)]:
        if item.geometry:
            features.append(
                {
                    "type": "Feature",
                    "geometry": item.geometry,
                    "properties": {"id": item.pk, "name": item.name, "kind": item.kind},
                }
            )
    return JsonResponse({"type": "FeatureCollection", "features": features})


@login_required
def area_create(request):
    form = AreaForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.area_create(actor=request.user, **data),
        title=_("New area"),
        success=_("The area was created."),
        done=lambda area: reverse("core:area_detail", args=[area.pk]),
        cancel_url=reverse("core:area_list"),
    )


@login_required
def area_import(request):
    form = AreaImportForm(request.POST or None, request.FILES or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.areas_import_geojson(
            actor=request.user,
            organisation=data["organisation"],
            parent=data["parent"],
            kind=data["kind"],
            data=read_upload(data["file"], extensions={".geojson", ".json"}),
            name_property=data["name_property"],
        ),
        title=_("Import areas from GeoJSON"),
        success=lambda result: (
            _("Imported: %(created)s new, %(updated)s changed, %(unchanged)s unchanged.") % result
        ),
        done=lambda _result: reverse("core:area_detail", args=[form.cleaned_data["parent"].pk]),
        cancel_url=reverse("core:area_list"),
        context={"multipart": True},
    )


# Places


class PlaceFilter(FilterSet):
    q = forms.CharField(label=gettext_lazy("Search"))
    area = forms.ModelChoiceField(queryset=Area.objects.none(), label=gettext_lazy("Area"))
    lookups = {"q": "name__icontains"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # By name: neither a model object per option nor a boundary compared by DISTINCT.
        choose_by_label(
            self,
            "area",
            area_choices(
                Area.objects.restrict(self.user, VIEW)
                .exclude(kind__in=["lan"])
                .filter(places__isnull=False)
                .distinct()
            ),
        )

    def filter_area(self, queryset, area):
        return queryset.filter(area=area)


class PlaceTable(Table):
    default_sort = "name"
    columns = [
        Column(
            "name",
            gettext_lazy("Name"),
            lambda p: p.name,
            sort="name",
            link=lambda p: reverse("core:place_edit", args=[p.pk]),
        ),
        Column("area", gettext_lazy("Area"), lambda p: p.area.name, sort="area__name"),
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            lambda p: p.organisation.name,
            sort="organisation__name",
        ),
        Column("lat", gettext_lazy("Latitude"), lambda p: p.lat, numeric=True),
        Column("lon", gettext_lazy("Longitude"), lambda p: p.lon, numeric=True),
    ]


class PlaceListView(RestrictedListView):
    model = Place
    filterset_class = PlaceFilter
    table_class = PlaceTable
    title = gettext_lazy("Places")
    empty_text = gettext_lazy(
        "There are no places yet. Add the squares, centres and stops that the work is about."
    )
    export_name = "platser"
    create_label = gettext_lazy("New place")

    def base_queryset(self):
        # The area's name, never its boundary.
        return (
            super().base_queryset().select_related("area", "organisation").defer("area__geometry")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if scope_for(self.request.user).organisation_ids(CHANGE):
            context["create_url"] = reverse("core:place_create")
        return context


@login_required
def place_create(request):
    form = PlaceForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda data: services.place_create(actor=request.user, **data),
        title=_("New place"),
        success=_("The place was created."),
        done=reverse("core:place_list"),
        cancel_url=reverse("core:place_list"),
    )


@login_required
def place_edit(request, pk):
    place = get_object_or_404(Place.objects.restrict(request.user, CHANGE), pk=pk)
    initial = {
        f: getattr(place, f) for f in ["organisation", "area", "name", "description", "lat", "lon"]
    }
    form = PlaceForm(request.POST or None, initial=initial, user=request.user)
    form.fields["organisation"].disabled = True

    def save(data):
        data.pop("organisation")
        return services.place_update(actor=request.user, place=place, **data)

    return form_page(
        request,
        form,
        save,
        title=place.name,
        success=_("The place was saved."),
        done=reverse("core:place_list"),
        cancel_url=reverse("core:place_list"),
        context={"history_url": reverse("core:history", args=["core", "place", place.pk])},
    )


# History and audit log


@login_required
def history(request, app_label, model_name, pk):
    """Historik: every change to one object, for anyone who may see the object."""
    obj = selectors.object_for_history(request.user, app_label, model_name, pk)
    entries = with_readable_changes(selectors.history_of(obj))
    return render(request, "core/history.html", {"object": obj, "entries": entries})


class AuditFilter(FilterSet):
    actor = forms.CharField(label=gettext_lazy("User"))
    action = forms.ChoiceField(label=gettext_lazy("Action"))
    model = forms.ChoiceField(label=gettext_lazy("Kind of object"))
    since = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    lookups = {
        "action": "action",
        "since": "at__date__gte",
        "until": "at__date__lte",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "—"), *AuditAction.choices]
        types = ContentType.objects.filter(
            app_label__in=[
                "core",
                "plans",
                "forums",
                "budget",
                "incidents",
                "stats",
                "situation",
                "cases",
                "reports",
            ]
        )
        self.fields["model"].choices = [("", "—")] + sorted(
            (
                (str(ct.pk), str(ct.model_class()._meta.verbose_name).capitalize())
                for ct in types
                if ct.model_class()
            ),
            key=lambda c: c[1],
        )

    def filter_model(self, queryset, value):
        return queryset.filter(content_type_id=value)

    def filter_actor(self, queryset, value):
        """A person's user name, or a command's name ("import_police_events")."""
        return queryset.filter(
            Q(actor__username__icontains=value) | Q(actor_label__icontains=value)
        )


class AuditTable(Table):
    default_sort = "-at"
    columns = [
        Column("at", gettext_lazy("Time"), lambda e: e.at, sort="at"),
        Column(
            "actor",
            gettext_lazy("User"),
            lambda e: e.actor_display,
            sort="actor__username",
        ),
        Column("action", gettext_lazy("Action"), lambda e: e.get_action_display(), sort="action"),
        Column(
            "object",
            gettext_lazy("Object"),
            lambda e: e.object_repr,
            sort="object_repr",
            link=lambda e: (
                None
                if e.action == AuditAction.DELETE
                else reverse(
                    "core:history",
                    args=[e.content_type.app_label, e.content_type.model, e.object_id],
                )
            ),
        ),
        Column("changes", gettext_lazy("Changes"), lambda e: "; ".join(str(c) for c in e.readable)),
    ]

    def prepare(self, objects) -> list:
        return with_readable_changes(objects)


class AuditLogView(RestrictedListView):
    """Ändringslogg for administrators, with filters and export."""

    model = AuditEntry
    filterset_class = AuditFilter
    table_class = AuditTable
    title = gettext_lazy("Audit log")
    export_name = "andringslogg"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (
            request.user.is_superuser or scope_for(request.user).organisation_ids(MANAGE)
        ):
            from django.http import Http404

            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return super().base_queryset().select_related("actor", "content_type")


# API tokens


@login_required
def api_tokens(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    created = submit(
        form,
        lambda data: services.api_token_create(actor=request.user, name=data["name"]),
        request=request,
    )
    if created is not None:
        _token, new_key = created
        form = ApiTokenForm()
    tokens = ApiToken.objects.restrict(request.user, VIEW)
    return render(
        request, "core/api_tokens.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


@login_required
@require_POST
def api_token_delete(request, pk):
    token = get_object_or_404(ApiToken.objects.restrict(request.user, VIEW), pk=pk)
    services.api_token_delete(actor=request.user, token=token)
    messages.success(request, _("The token was deleted."))
    return redirect("core:api_tokens")


@require_POST
def set_language(request):
    """Choose the interface language: kept as the person's setting, or in the session before login."""
    from django.conf import settings
    from django.utils.http import url_has_allowed_host_and_scheme

    from trygg.core.middleware import LANGUAGE_SESSION_KEY, remember_language

    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            services.preferences_update(actor=request.user, language=language)
            remember_language(request, request.user, language)
        else:
            request.session[LANGUAGE_SESSION_KEY] = language
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("core:home")
    return redirect(target)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


class PasswordResetView(auth_views.PasswordResetView):
    """Glömt lösenord: the link in the mail uses TRYGG_SITE_URL, never the request's Host
    header (which a client controls)."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL}
        return super().form_valid(form)
