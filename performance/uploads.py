"""Checking an uploaded bukti dukung: the type is decided from the content, never the name."""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath, PureWindowsPath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024

# detected extension -> (mime, extensions a file of this type may be named with)
ALLOWED = {
    "pdf": ("application/pdf", {"pdf"}),
    "png": ("image/png", {"png"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "gif": ("image/gif", {"gif"}),
    "webp": ("image/webp", {"webp"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {"docx"},
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        {"pptx"},
    ),
    "odt": ("application/vnd.oasis.opendocument.text", {"odt"}),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", {"ods"}),
    "odp": ("application/vnd.oasis.opendocument.presentation", {"odp"}),
}
# Office Open XML: the main part's content type in [Content_Types].xml.
OOXML_MARKERS = {
    "docx": b"wordprocessingml.document.main+xml",
    "xlsx": b"spreadsheetml.sheet.main+xml",
    "pptx": b"presentationml.presentation.main+xml",
}
ALLOWED_LABEL = "PDF, PNG, JPG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, ODP"


@dataclass(frozen=True)
class CheckedUpload:
    extension: str
    content_type: str
    size: int
    sha256: str
    name: str


# The parts read to type an office file are small; a bigger one is a zip bomb.
MAX_TYPE_PART_BYTES = 1024 * 1024


def _office_zip_ok(upload: UploadedFile, extension: str) -> bool:
    upload.seek(0)
    part = "[Content_Types].xml" if extension in OOXML_MARKERS else "mimetype"
    try:
        with zipfile.ZipFile(upload) as archive:
            if archive.getinfo(part).file_size > MAX_TYPE_PART_BYTES:
                return False
            content = archive.read(part)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, EOFError, ValueError):
        return False
    except (zlib.error, NotImplementedError):  # a damaged stream, an exotic compression
        return False
    finally:
        upload.seek(0)
    if extension in OOXML_MARKERS:
        return OOXML_MARKERS[extension] in content
    return content.strip() == ALLOWED[extension][0].encode()


def check_evidence_file(upload: UploadedFile) -> CheckedUpload:
    """Refuse empty, too large, unknown, forbidden or disguised files; say why in Indonesian."""
    # Either separator ends a folder, whatever the client's system; no control characters.
    name = "".join(c for c in PureWindowsPath(upload.name or "").name if c.isprintable())
    name = name[-200:].strip() or "berkas"
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Berkas %(name)s kosong.") % {"name": name}, code="empty")
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("Berkas %(name)s terlalu besar (%(size).1f MB); maksimal 10 MB per berkas.")
            % {"name": name, "size": size / 1024 / 1024},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ALLOWED:
        raise ValidationError(
            _(
                "Jenis berkas %(name)s tidak diizinkan. Unggah berkas %(allowed)s "
                "(jenis diperiksa dari isi berkas, bukan dari namanya)."
            )
            % {"name": name, "allowed": ALLOWED_LABEL},
            code="forbidden_type",
        )
    mime, extensions = ALLOWED[kind.extension]
    suffix = PurePath(name).suffix.lower().lstrip(".")
    if suffix not in extensions:
        raise ValidationError(
            _(
                "Isi berkas %(name)s tidak cocok dengan namanya (isinya %(kind)s). "
                "Periksa kembali berkas Anda."
            )
            % {"name": name, "kind": kind.extension.upper()},
            code="disguised",
        )
    if (kind.extension in OOXML_MARKERS or mime.startswith("application/vnd.oasis")) and (
        not _office_zip_ok(upload, kind.extension)
    ):
        raise ValidationError(
            _("Berkas %(name)s bukan dokumen %(kind)s yang utuh.")
            % {"name": name, "kind": kind.extension.upper()},
            code="broken_office",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        extension=kind.extension, content_type=mime, size=size, sha256=digest.hexdigest(), name=name
    )
