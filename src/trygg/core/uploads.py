"""Checks every uploaded file passes before it is read: size and file type."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


def read_upload(upload, *, extensions: set[str], max_bytes: int | None = None) -> bytes:
    """The file's bytes, or a Swedish ValidationError for a wrong type or too large a file."""
    limit = max_bytes or settings.MAX_UPLOAD_BYTES
    suffix = "".join(Path(upload.name or "").suffixes[-2:]).lower()
    if not any(suffix.endswith(ext) for ext in extensions):
        raise ValidationError(
            _("The file type is not allowed. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(extensions))}
        )
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    return upload.read()
