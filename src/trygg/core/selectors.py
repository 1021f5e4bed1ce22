"""Reads for organisations, areas, places and the audit trail."""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from trygg.core.access import VIEW
from trygg.core.actors import Viewer
from trygg.core.models import AuditEntry, Organisation


def object_for_history(user: Viewer, app_label: str, model_name: str, pk: int | str) -> Model:
    """The object if the user may see it, else 404 (whether or not it exists)."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404 from exc
    manager = model._default_manager
    if not hasattr(manager, "restrict"):
        raise Http404
    # A model whose rows some viewers see only in part (blurred incident reports) narrows
    # who may read the full change history.
    history_queryset = getattr(model, "history_queryset", None)
    queryset = history_queryset(user) if history_queryset else manager.restrict(user, VIEW)
    obj: Model | None = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def history_of(obj: Model) -> QuerySet[AuditEntry]:
    """The audit entries of one object, newest first. Only call after the object was
    fetched through restrict(): the entries carry no scope of their own here."""
    content_type = ContentType.objects.get_for_model(obj.__class__)
    return AuditEntry.objects.filter(
        content_type=content_type, object_id=str(obj.pk)
    ).select_related("actor", "content_type")


def organisation_from_reference(value: str) -> Organisation:
    """The organisation a command's ``--organisation`` names: its name (any case), its id or,
    for a kommun, its four-digit kommun code (1480 → Göteborgs stad). A kommun code wins
    over an id of the same digits. Raises LookupError with a Swedish message."""
    from django.db.models import Q

    from trygg.core.choices import AreaKind, OrganisationKind

    text = value.strip()
    if len(text) == 4 and text.isdigit():
        kommun: list[Organisation] = list(
            Organisation.objects.filter(
                kind=OrganisationKind.KOMMUN,
                parent__isnull=True,
                area__kind=AreaKind.KOMMUN,
                area__code=text,
            )
        )
        if len(kommun) == 1:
            return kommun[0]
    query = Q(name__iexact=text)
    if text.isdigit():
        query |= Q(pk=int(text))
    found: list[Organisation] = list(Organisation.objects.filter(query))
    if len(found) == 1:
        return found[0]
    import difflib

    names = list(Organisation.objects.values_list("name", flat=True))
    near = (
        difflib.get_close_matches(text, names, n=5, cutoff=0.5)
        or [n for n in names if text.lower() in n.lower()][:5]
    )
    message = _("No organisation “%(value)s” (give its name, id or kommun code).") % {"value": text}
    if near:
        message += " " + _("Did you mean: %(names)s?") % {"names": ", ".join(near)}
    raise LookupError(message)
