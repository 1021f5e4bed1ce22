"""Photos on incident reports (foton på händelserapporter): re-encoded without EXIF, stored
privately, added by those who see the report in detail. Re-exported by
trygg.incidents.services, where services are called from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.access import scope_for
from trygg.core.actors import Actor
from trygg.core.audit import record_change
from trygg.core.choices import AuditAction
from trygg.core.services import save_validated
from trygg.incidents.models import IncidentPhoto, IncidentReport

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
PHOTO_MAX_BYTES = 15 * 1024 * 1024
PHOTO_MAX_SIDE = 2048  # pixels on the longest side after re-encoding
PHOTO_MAX_PIXELS = 60_000_000  # refuses decompression bombs before they are decoded


def photo_encode(upload: UploadedFile) -> tuple[bytes, int, int]:
    """The photo re-encoded as JPEG with no EXIF (no position, device or time), turned upright
    and at most PHOTO_MAX_SIDE pixels on its longest side: (bytes, width, height).

    A file that is not a readable image is refused with a Swedish message.
    """
    import io

    from PIL import Image, ImageOps, UnidentifiedImageError

    from trygg.core.uploads import read_upload

    data = read_upload(upload, extensions=PHOTO_EXTENSIONS, max_bytes=PHOTO_MAX_BYTES)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > PHOTO_MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."))
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The file is not a photo that can be read.")) from error
    upright.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    out = io.BytesIO()
    # A new image without .info: nothing of the original's metadata is written.
    clean = Image.new("RGB", upright.size)
    clean.paste(upright)
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), clean.width, clean.height


def _store_photo(report: IncidentReport, encoded: tuple[bytes, int, int]) -> IncidentPhoto:
    from django.core.files.base import ContentFile

    data, width, height = encoded
    photo = IncidentPhoto(
        organisation_id=report.organisation_id,
        report=report,
        width=width,
        height=height,
        size=len(data),
    )
    photo.image.save("photo.jpg", ContentFile(data), save=False)
    # The file is written before its row: if the row cannot be saved, the file goes again.
    try:
        save_validated(photo)
    except Exception:
        photo.image.storage.delete(photo.image.name)
        raise
    return photo


@transaction.atomic
def report_add_photo(
    *, actor: Actor, report: IncidentReport, upload: UploadedFile
) -> IncidentPhoto:
    """Add a photo to a report the actor sees in detail (the reporter, the organisation)."""
    scope = scope_for(actor)
    if not scope.is_superuser and not (
        IncidentReport.objects.filter(pk=report.pk).filter(IncidentReport.detail_q(scope)).exists()
    ):
        raise PermissionDenied(_("You do not have permission to do this."))
    photo = _store_photo(report, photo_encode(upload))
    record_change(
        actor=actor,
        obj=report,
        action=AuditAction.UPDATE,
        before={"photos": report.photos.count() - 1},
        after={"photos": report.photos.count()},
    )
    return photo
