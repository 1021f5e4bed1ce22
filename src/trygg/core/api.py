"""API for organisations, areas and places."""

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from trygg.core import services
from trygg.core.access import CHANGE, VIEW
from trygg.core.models import Area, Organisation, Place
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


@router.get("/organisations", response=list[OrganisationOut])
@paginate(PageNumberPagination)
def list_organisations(request, filters: OrganisationQuery = Query(...)):  # type: ignore[valid-type]
    form = OrganisationFilter(filters.model_dump(exclude_none=True), user=request.user)
    return form.filter_queryset(Organisation.objects.restrict(request.user, VIEW)).order_by("name")


@router.get("/organisations/{organisation_id}", response=OrganisationOut)
def get_organisation(request, organisation_id: int):
    return get_object_or_404(Organisation.objects.restrict(request.user, VIEW), pk=organisation_id)


@router.get("/areas", response=list[AreaOut])
@paginate(PageNumberPagination)
def list_areas(request, filters: AreaQuery = Query(...)):  # type: ignore[valid-type]
    form = AreaFilter(filters.model_dump(exclude_none=True), user=request.user)
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
    form = PlaceFilter(filters.model_dump(exclude_none=True), user=request.user)
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
