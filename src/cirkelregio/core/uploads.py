# SPDX-License-Identifier: EUPL-1.2
"""Checks of an uploaded file before an importer reads it: its size, its extension
and, for XML and XLSX, that it declares no document type (DTD).

* Size: at most ``settings.UPLOAD_MAX_BYTES`` (the size Django counted while
  receiving the file, not what the client claims).
* Extension: one of those the importer of that kind reads (``KINDS``).
* XML safety: a DTD is where entities are declared, so a file with one is refused
  before any parser sees it: no "billion laughs" (entity expansion) and no external
  entities. For XLSX (a zip of XML parts) every part is scanned, and the parts may
  together be at most ``XLSX_MAX_EXPANSION`` times the upload limit unpacked (no zip
  bomb). openpyxl also parses through ``defusedxml`` (a dependency), which refuses
  entities on its own; XLSX is refused outright if that protection is missing.
  The ILCD reader (``cirkelregio.mki.ilcd``) refuses DTDs in its own expat parser.

``check_upload`` raises a ``ValidationError`` with a message for the person who
uploaded the file; ``upload_validator`` is the same check as a field validator;
``safe_file_name`` is the name an importer gives an upload in its messages and
stored files.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# The extensions each kind of import reads.
KINDS: dict[str, tuple[str, ...]] = {
    "csv": (".csv",),
    "table": (".csv", ".xlsx"),
    "geo": (".csv", ".geojson", ".json"),
    "json": (".json",),
    "xml": (".xml",),
}
XLSX_MAX_EXPANSION = 10


def safe_file_name(name: str | None, default: str) -> str:
    """The base name of an uploaded file, for messages and stored files: no folder,
    only letters, digits, ``.``, ``-``, ``_`` and spaces, at most 100 characters;
    ``default`` when nothing is left."""
    base = PurePath(str(name or "")).name
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")[:100]
    return base or default


_CHUNK = 64 * 1024
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")


def _refuse(message: str) -> ValidationError:
    return ValidationError(message, code="invalid_upload")


def _has_dtd(stream: IO[bytes]) -> bool:
    tail = b""
    while chunk := stream.read(_CHUNK):
        window = tail + chunk
        if any(marker in window for marker in _DTD_MARKERS):
            return True
        tail = window[-16:]
    return False


def _xml_refused() -> ValidationError:
    return _refuse(
        _(
            "The file contains a document type declaration (DTD) or entity "
            "declarations. They are refused for safety (XML entity expansion); "
            "save the file again without them."
        )
    )


def _check_xlsx(file: IO[bytes]) -> None:
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise _refuse(_("XLSX files cannot be read safely on this server."))
    not_xlsx = _("The file is not a readable XLSX file.")
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
            limit = settings.UPLOAD_MAX_BYTES * XLSX_MAX_EXPANSION
            if sum(part.file_size for part in parts) > limit:
                raise _refuse(
                    _("The XLSX file unpacks to more than %(size)s.")
                    % {"size": filesizeformat(limit)}
                )
            for part in parts:
                if part.filename.endswith((".xml", ".rels", ".vml")):
                    with archive.open(part) as stream:
                        if _has_dtd(stream):
                            raise _xml_refused()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _refuse(not_xlsx) from exc


def check_upload(file: Any, extensions: Iterable[str]) -> None:
    """Refuse ``file`` (an uploaded file) unless its size, extension and content
    pass; ``extensions`` are the allowed ones, with their dot."""
    allowed = tuple(e.lower() for e in extensions)
    name = PurePath(getattr(file, "name", "") or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in allowed:
        raise _refuse(
            _("The file must be a %(extensions)s file.")
            % {"extensions": ", ".join(allowed)}
        )
    size = getattr(file, "size", None)
    if size is None:
        raise _refuse(_("The size of the file is unknown."))
    if size > settings.UPLOAD_MAX_BYTES:
        raise _refuse(
            _("The file may be at most %(size)s.")
            % {"size": filesizeformat(settings.UPLOAD_MAX_BYTES)}
        )
    if size == 0:
        raise _refuse(_("The file is empty."))
    file.seek(0)
    try:
        if extension == ".xlsx":
            _check_xlsx(file)
        elif extension == ".xml" and _has_dtd(file):
            raise _xml_refused()
    finally:
        file.seek(0)


def upload_validator(kind: str) -> Callable[[Any], None]:
    """``check_upload`` with the extensions of ``kind`` (a key of ``KINDS``), for a
    form or serializer field's ``validators``."""
    extensions = KINDS[kind]

    def validate(file: Any) -> None:
        check_upload(file, extensions)

    return validate
