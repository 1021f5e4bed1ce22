"""Reads for organisations, areas, places and the audit trail."""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from trygg.core.access import VIEW, scope_for
from trygg.core.models import AuditEntry, Organisation


def organisations_for(user, action: str, *, whole_organisation: bool = True):
    """The organisations the user may do ``action`` for – by default only through a membership
    that is not limited to some areas (choices in forms that create organisation-wide things)."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Organisation.objects.all()
    ids = (
        scope.unlimited_organisation_ids(action)
        if whole_organisation
        else scope.organisation_ids(action)
    )
    return Organisation.objects.filter(pk__in=ids)


def object_for_history(user, app_label: str, model_name: str, pk):
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
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def history_of(obj):
    """The audit entries of one object, newest first. Only call after the object was
    fetched through restrict(): the entries carry no scope of their own here."""
    content_type = ContentType.objects.get_for_model(obj.__class__)
    return AuditEntry.objects.filter(
        content_type=content_type, object_id=str(obj.pk)
    ).select_related("actor", "content_type")
