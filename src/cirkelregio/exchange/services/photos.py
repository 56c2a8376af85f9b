# SPDX-License-Identifier: EUPL-1.2
"""Photos of listings (their owner organisation's editors and coordinators).

An upload is checked before anything is written: at most ``MAX_PHOTO_BYTES``, an
image Pillow decodes as JPEG, PNG or WebP with a matching file extension and at most
``MAX_PHOTO_SIDE`` pixels a side (a larger image, or Pillow's decompression-bomb
warning, is refused before the pixels are decoded), and at most
``MAX_PHOTOS_PER_LISTING`` photos per listing. The image is then re-encoded from its
pixels alone, so no metadata (EXIF with a GPS position, XMP, comments) is kept, and
stored under a random name."""

from __future__ import annotations

import io
import uuid
import warnings
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from PIL import Image, ImageOps, UnidentifiedImageError

from cirkelregio.accounts.models import User
from cirkelregio.exchange import rules
from cirkelregio.exchange.models import Listing, ListingPhoto, PhotoFormat
from cirkelregio.exchange.services._common import full_clean, require, save

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_SIDE = 6000
MAX_PHOTOS_PER_LISTING = 6
MAX_ALT_LENGTH = 300
EXTENSIONS = {
    PhotoFormat.JPEG: (".jpg", ".jpeg"),
    PhotoFormat.PNG: (".png",),
    PhotoFormat.WEBP: (".webp",),
}
_DECODE_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def _image_error(message: str) -> ValidationError:
    return ValidationError({"image": message})


def _read(file: IO[bytes] | Any) -> bytes:
    """The upload's bytes; refused when more than the limit (not trusting the size
    the client sent)."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise _image_error(_("The photo may be at most 5 MB."))
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise _image_error(_("The photo may be at most 5 MB."))
    if not data:
        raise _image_error(_("The file is empty."))
    return data


def _open(data: bytes) -> Image.Image:
    """Open without decoding the pixels; check format and size."""
    image = Image.open(io.BytesIO(data))
    if image.format not in PhotoFormat.values:
        raise _image_error(_("Only JPEG, PNG and WebP photos are accepted."))
    width, height = image.size
    if width > MAX_PHOTO_SIDE or height > MAX_PHOTO_SIDE or width < 1 or height < 1:
        raise _image_error(
            _("The photo may be at most %(side)d by %(side)d pixels.")
            % {"side": MAX_PHOTO_SIDE}
        )
    return image


def _clean_image(data: bytes, filename: str) -> tuple[str, bytes, str]:
    """(format, re-encoded bytes without metadata, extension) or a ValidationError."""
    not_image = _("The file is not a JPEG, PNG or WebP image.")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            _open(data).verify()
            image = _open(data)  # verify() leaves the image unusable: reopen
            fmt = str(image.format)
            image.load()
            image = ImageOps.exif_transpose(image)
        except ValidationError:
            raise
        except _DECODE_ERRORS as exc:
            raise _image_error(not_image) from exc
    extension = PurePath(filename or "").suffix.lower()
    if extension not in EXTENSIONS[PhotoFormat(fmt)]:
        raise _image_error(
            _("The file name's extension does not match its content (%(format)s).")
            % {"format": fmt}
        )
    alpha = fmt != PhotoFormat.JPEG and image.has_transparency_data
    mode = "RGBA" if alpha else "RGB"
    converted = image.convert(mode)
    # Only the pixels: a new image carries no EXIF, XMP, ICC or text chunks.
    clean = Image.frombytes(mode, converted.size, converted.tobytes())
    out = io.BytesIO()
    options: dict[str, Any] = {"quality": 88} if fmt != PhotoFormat.PNG else {}
    clean.save(out, format=fmt, **options)
    return fmt, out.getvalue(), EXTENSIONS[PhotoFormat(fmt)][0]


def listing_photo_check(file: Any) -> None:
    """The upload checks alone (size, format, extension, pixel size), for forms that
    report errors before saving; ``listing_photo_add`` runs them again."""
    _clean_image(_read(file), getattr(file, "name", ""))
    if hasattr(file, "seek"):
        file.seek(0)


def _check_alt(alt: Any) -> str:
    alt = (alt or "").strip() if isinstance(alt, str) else ""
    if not alt:
        raise ValidationError(
            {"alt": _("Describe the photo for people who cannot see it.")}
        )
    if len(alt) > MAX_ALT_LENGTH:
        raise ValidationError(
            {"alt": _("At most %(n)d characters.") % {"n": MAX_ALT_LENGTH}}
        )
    return alt


def _remove_file_on_commit(name: str, storage: Any) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def listing_photo_add(
    *, actor: User | None, listing: Listing, file: Any, alt: Any
) -> ListingPhoto:
    require(rules.can_change_listing(actor, listing))
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    alt = _check_alt(alt)
    if listing.photos.count() >= MAX_PHOTOS_PER_LISTING:
        raise _image_error(
            _("A listing has at most %(n)d photos.") % {"n": MAX_PHOTOS_PER_LISTING}
        )
    data = _read(file)
    fmt, content, extension = _clean_image(data, getattr(file, "name", ""))
    last = listing.photos.aggregate(last=Max("order"))["last"]
    photo = ListingPhoto(
        listing=listing,
        alt=alt,
        image_format=fmt,
        order=0 if last is None else last + 1,
    )
    photo.image.save(uuid.uuid4().hex + extension, ContentFile(content), save=False)
    try:
        full_clean(photo)
        save(photo)
    except BaseException:
        photo.image.storage.delete(photo.image.name)
        raise
    return photo


@transaction.atomic
def listing_photo_delete(*, actor: User | None, photo: ListingPhoto) -> None:
    require(rules.can_change_listing(actor, photo.listing))
    name, storage = photo.image.name, photo.image.storage
    photo.delete()
    _remove_file_on_commit(name, storage)


def listing_photo_files_remove_on_commit(listing: Listing) -> None:
    """Remove the photo files of a listing being deleted, once the deletion holds."""
    for photo in listing.photos.all():
        _remove_file_on_commit(photo.image.name, photo.image.storage)
