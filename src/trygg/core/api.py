"""API for organisations, areas and places, and their administration (partnerships, people,
invitations) for administratörer."""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from trygg.core import services
from trygg.core.access import CHANGE, MANAGE, VIEW
from trygg.core.administration import PeopleFilter
from trygg.core.choices import CHILD_KINDS, PARTNER_KINDS
from trygg.core.filters import query_data
from trygg.core.models import Area, Invitation, Membership, Organisation, Partnership, Place
from trygg.core.pagination import PageNumberPagination
from trygg.core.views import AreaFilter, OrganisationFilter, PlaceFilter

router = Router(tags=["Organisationer och geografi"])


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    area_id: int | None


class AreaOut(Schema):
    id: int
    name: str
    kind: str
    code: str
    parent_id: int | None
    organisation_id: int | None
    centre_lat: float | None
    centre_lon: float | None


class AreaIn(Schema):
    organisation_id: int
    parent_id: int
    kind: str
    name: str
    geometry: dict | None = None


class AreaPatch(Schema):
    name: str | None = None
    kind: str | None = None
    geometry: dict | None = None


class PlaceOut(Schema):
    id: int
    name: str
    description: str
    organisation_id: int
    area_id: int
    lat: float | None
    lon: float | None


class PlaceIn(Schema):
    organisation_id: int
    area_id: int
    name: str
    description: str = ""
    lat: float | None = None
    lon: float | None = None


class PlacePatch(Schema):
    area_id: int | None = None
    name: str | None = None
    description: str | None = None
    lat: float | None = None
    lon: float | None = None


OrganisationQuery = OrganisationFilter.as_schema("OrganisationQuery")
AreaQuery = AreaFilter.as_schema("AreaQuery")
PlaceQuery = PlaceFilter.as_schema("PlaceQuery")
PeopleQuery = PeopleFilter.as_schema("PeopleQuery")


@router.get("/organisations", response=list[OrganisationOut])
@paginate(PageNumberPagination)
def list_organisations(request, filters: OrganisationQuery = Query(...)):  # type: ignore[valid-type]
    form = OrganisationFilter(query_data(filters), user=request.user)
    return form.filter_queryset(Organisation.objects.restrict(request.user, VIEW)).order_by("name")


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def get_organisation(request, organisation_id: int):
    return get_object_or_404(Organisation.objects.restrict(request.user, VIEW), pk=organisation_id)


@router.get("/areas", response=list[AreaOut])
@paginate(PageNumberPagination)
def list_areas(request, filters: AreaQuery = Query(...)):  # type: ignore[valid-type]
    form = AreaFilter(query_data(filters), user=request.user)
    return form.filter_queryset(Area.objects.restrict(request.user, VIEW)).order_by("name", "pk")


@router.get("/areas/{area_id}", response=AreaOut)
def get_area(request, area_id: int):
    return get_object_or_404(Area.objects.restrict(request.user, VIEW), pk=area_id)


@router.post("/areas", response={201: AreaOut})
def create_area(request, payload: AreaIn):
    organisation = get_object_or_404(
        Organisation.objects.restrict(request.user, CHANGE), pk=payload.organisation_id
    )
    parent = get_object_or_404(Area.objects.restrict(request.user, VIEW), pk=payload.parent_id)
    area = services.area_create(
        actor=request.user,
        organisation=organisation,
        parent=parent,
        kind=payload.kind,
        name=payload.name,
        geometry=payload.geometry,
    )
    return Status(201, area)


@router.patch("/areas/{area_id}", response=AreaOut)
def update_area(request, area_id: int, payload: AreaPatch):
    area = get_object_or_404(Area.objects.restrict(request.user, CHANGE), pk=area_id)
    return services.area_update(
        actor=request.user, area=area, **payload.model_dump(exclude_unset=True)
    )


@router.get("/places", response=list[PlaceOut])
@paginate(PageNumberPagination)
def list_places(request, filters: PlaceQuery = Query(...)):  # type: ignore[valid-type]
    form = PlaceFilter(query_data(filters), user=request.user)
    return form.filter_queryset(Place.objects.restrict(request.user, VIEW)).order_by("name", "pk")


@router.get("/places/{place_id}", response=PlaceOut)
def get_place(request, place_id: int):
    return get_object_or_404(Place.objects.restrict(request.user, VIEW), pk=place_id)


@router.post("/places", response={201: PlaceOut})
def create_place(request, payload: PlaceIn):
    organisation = get_object_or_404(
        Organisation.objects.restrict(request.user, CHANGE), pk=payload.organisation_id
    )
    area = get_object_or_404(Area.objects.restrict(request.user, VIEW), pk=payload.area_id)
    data = payload.model_dump(exclude={"organisation_id", "area_id"})
    place = services.place_create(actor=request.user, organisation=organisation, area=area, **data)
    return Status(201, place)


@router.patch("/places/{place_id}", response=PlaceOut)
def update_place(request, place_id: int, payload: PlacePatch):
    place = get_object_or_404(Place.objects.restrict(request.user, CHANGE), pk=place_id)
    data = payload.model_dump(exclude_unset=True)
    if "area_id" in data:
        data["area"] = get_object_or_404(
            Area.objects.restrict(request.user, VIEW), pk=data.pop("area_id")
        )
    return services.place_update(actor=request.user, place=place, **data)


# Administration (role administratör): organisations, partnerships, people, invitations.


#: Text with at least one visible character (control characters are dropped on the way in).
VISIBLE = r"[^\s\x00-\x1f\x7f-\x9f]"


class _OrganisationIn(Schema):
    name: str = Field(min_length=1, max_length=200, pattern=VISIBLE)
    organisation_number: str = Field("", max_length=20)
    partnership_name: str = Field("", max_length=200)


class SubOrganisationIn(_OrganisationIn):
    """A sub-organisation (förvaltning, nämnd, bolag) below ``parent_id``."""

    parent_id: int
    kind: Literal[tuple(str(k) for k in CHILD_KINDS)]  # type: ignore[valid-type]


class PartnerOrganisationIn(_OrganisationIn):
    """A partner organisation registered by ``steward_id``, with a partnership between them."""

    steward_id: int
    kind: Literal[tuple(str(k) for k in PARTNER_KINDS)]  # type: ignore[valid-type]


#: A new organisation names exactly one of the two: its parent or the one registering it.
OrganisationIn = SubOrganisationIn | PartnerOrganisationIn


class OrganisationPatch(Schema):
    name: str | None = None
    kind: str | None = None
    organisation_number: str | None = None


class OrganisationAdminOut(OrganisationOut):
    steward_id: int | None
    organisation_number: str
    is_active: bool


class PartnershipOut(Schema):
    id: int
    organisation_id: int
    partner_id: int
    name: str
    diarienummer: str
    starts_on: dt.date | None
    ends_on: dt.date | None


class PartnershipIn(Schema):
    organisation_id: int
    partner_id: int
    name: str = ""
    diarienummer: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class PartnershipPatch(Schema):
    name: str | None = None
    diarienummer: str | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None


class MembershipOut(Schema):
    id: int
    user_id: int
    username: str
    email: str
    first_name: str
    last_name: str
    organisation_id: int
    role: str
    title: str
    area_ids: list[int]
    is_active: bool

    @staticmethod
    def resolve_username(obj):
        return obj.user.username

    @staticmethod
    def resolve_email(obj):
        return obj.user.email

    @staticmethod
    def resolve_first_name(obj):
        return obj.user.first_name

    @staticmethod
    def resolve_last_name(obj):
        return obj.user.last_name

    @staticmethod
    def resolve_area_ids(obj):
        return sorted(a.pk for a in obj.areas.all())


class MembershipPatch(Schema):
    role: str | None = None
    title: str | None = None
    area_ids: list[int] | None = None


class InvitationOut(Schema):
    id: int
    email: str
    organisation_id: int
    role: str
    title: str
    area_ids: list[int]
    state: str
    expires_at: dt.datetime
    accepted_at: dt.datetime | None

    @staticmethod
    def resolve_area_ids(obj):
        return sorted(a.pk for a in obj.areas.all())


class InvitationIn(Schema):
    email: str
    organisation_id: int
    role: str
    title: str = ""
    area_ids: list[int] = []


def _administered(request, model, pk):
    return get_object_or_404(model.objects.restrict(request.user, MANAGE), pk=pk)


def _own_areas(organisation, area_ids):
    areas = list(Area.objects.filter(pk__in=area_ids, organisation=organisation))
    if len(areas) != len(set(area_ids)):
        raise ValidationError(
            {"area_ids": [_("An area limit must be one of the organisation's areas.")]}
        )
    return areas


@router.post("/organisations", response={201: OrganisationAdminOut})
def create_organisation(request, payload: OrganisationIn):
    parent_id = getattr(payload, "parent_id", None)
    steward_id = getattr(payload, "steward_id", None)
    parent = _administered(request, Organisation, parent_id) if parent_id is not None else None
    steward = _administered(request, Organisation, steward_id) if steward_id is not None else None
    organisation = services.organisation_register(
        actor=request.user,
        name=payload.name,
        kind=payload.kind,
        parent=parent,
        steward=steward,
        organisation_number=payload.organisation_number,
        partnership_name=payload.partnership_name,
    )
    return Status(201, organisation)


@router.patch("/organisations/{organisation_id}", response=OrganisationAdminOut)
def update_organisation(request, organisation_id: int, payload: OrganisationPatch):
    organisation = _administered(request, Organisation, organisation_id)
    data = payload.model_dump(exclude_unset=True)
    return services.organisation_update(
        actor=request.user,
        organisation=organisation,
        name=data.get("name") or organisation.name,
        kind=data.get("kind") or organisation.kind,
        organisation_number=data.get("organisation_number", organisation.organisation_number) or "",
    )


@router.post("/organisations/{organisation_id}/deactivate", response=OrganisationAdminOut)
def deactivate_organisation(request, organisation_id: int):
    organisation = _administered(request, Organisation, organisation_id)
    if not services.can_deactivate(request.user, organisation):
        raise Http404
    return services.organisation_deactivate(actor=request.user, organisation=organisation)


@router.get("/partnerships", response=list[PartnershipOut])
@paginate(PageNumberPagination)
def list_partnerships(request):
    return Partnership.objects.restrict(request.user, VIEW).order_by("pk")


@router.get("/partnerships/{partnership_id}", response=PartnershipOut)
def get_partnership(request, partnership_id: int):
    return get_object_or_404(Partnership.objects.restrict(request.user, VIEW), pk=partnership_id)


@router.post("/partnerships", response={201: PartnershipOut})
def create_partnership(request, payload: PartnershipIn):
    organisation = _administered(request, Organisation, payload.organisation_id)
    partner = get_object_or_404(
        Organisation.objects.restrict(request.user, VIEW), pk=payload.partner_id
    )
    data = payload.model_dump(exclude={"organisation_id", "partner_id"})
    partnership = services.partnership_create(
        actor=request.user, organisation=organisation, partner=partner, **data
    )
    return Status(201, partnership)


@router.patch("/partnerships/{partnership_id}", response=PartnershipOut)
def renew_partnership(request, partnership_id: int, payload: PartnershipPatch):
    partnership = _administered(request, Partnership, partnership_id)
    data = payload.model_dump(exclude_unset=True)
    return services.partnership_renew(
        actor=request.user,
        partnership=partnership,
        starts_on=data.get("starts_on", partnership.starts_on),
        ends_on=data.get("ends_on", partnership.ends_on),
        name=data.get("name"),
        diarienummer=data.get("diarienummer"),
    )


@router.post("/partnerships/{partnership_id}/end", response=PartnershipOut)
def end_partnership(request, partnership_id: int):
    partnership = _administered(request, Partnership, partnership_id)
    return services.partnership_end(actor=request.user, partnership=partnership)


@router.get("/memberships", response=list[MembershipOut])
@paginate(PageNumberPagination)
def list_memberships(request, filters: PeopleQuery = Query(...)):  # type: ignore[valid-type]
    form = PeopleFilter(query_data(filters), user=request.user)
    queryset = Membership.objects.restrict(request.user, MANAGE)
    return (
        form.filter_queryset(queryset)
        .select_related("user")
        .prefetch_related("areas")
        .order_by("user__last_name", "pk")
    )


@router.get("/memberships/{membership_id}", response=MembershipOut)
def get_membership(request, membership_id: int):
    return _administered(request, Membership, membership_id)


@router.patch("/memberships/{membership_id}", response=MembershipOut)
def update_membership(request, membership_id: int, payload: MembershipPatch):
    membership = _administered(request, Membership, membership_id)
    data = payload.model_dump(exclude_unset=True)
    areas = (
        _own_areas(membership.organisation, data["area_ids"])
        if data.get("area_ids") is not None
        else list(membership.areas.all())
    )
    return services.membership_update(
        actor=request.user,
        membership=membership,
        role=data.get("role") or membership.role,
        title=data["title"] if data.get("title") is not None else membership.title,
        areas=areas,
    )


@router.post("/memberships/{membership_id}/deactivate", response=MembershipOut)
def deactivate_membership(request, membership_id: int):
    membership = _administered(request, Membership, membership_id)
    return services.membership_deactivate(actor=request.user, membership=membership)


@router.get("/invitations", response=list[InvitationOut])
@paginate(PageNumberPagination)
def list_invitations(request):
    return (
        Invitation.objects.restrict(request.user, MANAGE)
        .prefetch_related("areas")
        .order_by("-created_at", "-pk")
    )


@router.post("/invitations", response={201: InvitationOut})
def create_invitation(request, payload: InvitationIn):
    """Invite a person: the link is mailed to them and never returned here."""
    organisation = _administered(request, Organisation, payload.organisation_id)
    invitation, _key = services.invitation_create(
        actor=request.user,
        organisation=organisation,
        email=payload.email,
        role=payload.role,
        title=payload.title,
        areas=_own_areas(organisation, payload.area_ids),
    )
    return Status(201, invitation)


@router.post("/invitations/{invitation_id}/resend", response=InvitationOut)
def resend_invitation(request, invitation_id: int):
    invitation = _administered(request, Invitation, invitation_id)
    return services.invitation_resend(actor=request.user, invitation=invitation)[0]


@router.post("/invitations/{invitation_id}/revoke", response=InvitationOut)
def revoke_invitation(request, invitation_id: int):
    invitation = _administered(request, Invitation, invitation_id)
    return services.invitation_revoke(actor=request.user, invitation=invitation)


@router.get("/invitations/{invitation_id}", response=InvitationOut)
def get_invitation(request, invitation_id: int):
    return _administered(request, Invitation, invitation_id)
