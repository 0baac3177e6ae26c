"""Documents people upload: the type is read from the bytes, the size is bounded.

The size is bounded twice. ``innovation_portal.middleware.UploadLimitMiddleware`` refuses a body whose announced
length is over the limit of its address before reading it, and puts ``SizeLimitUploadHandler`` in front of
Django's handlers: a file that runs past its limit is cut off there, before the rest of it is read or stored,
and the form receives a ``CutOffUpload`` in its place, which it refuses with a French message.
"""

import io
from collections.abc import Callable
from typing import TypeVar, cast

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Types accepted for documents, as read from the bytes by libmagic, with the extensions they may carry.
ACCEPTED_TYPES: dict[str, set[str]] = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
    "application/vnd.oasis.opendocument.text": {".odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {".ods"},
    "application/vnd.oasis.opendocument.presentation": {".odp"},
    "application/msword": {".doc"},
    "application/vnd.ms-excel": {".xls"},
    "application/vnd.ms-powerpoint": {".ppt"},
    "text/csv": {".csv"},
    "text/plain": {".txt", ".csv"},
}
View = TypeVar("View", bound=Callable[..., object])

ACCEPTED_EXTENSIONS = sorted({ext for extensions in ACCEPTED_TYPES.values() for ext in extensions})


# The kinds of upload, each with the setting that holds its limit in bytes (read at each request: tests change it).
UPLOAD_LIMIT_SETTINGS = {
    "document": "ATTACHMENT_MAX_BYTES",  # documents of projects, attachments of ideas
    "survey_import": "SURVEY_IMPORT_MAX_BYTES",  # files of answers imported into a campaign
}


def accepts_upload(kind: str) -> Callable[[View], View]:
    """Marks a view that receives files of this kind; any other view accepts no file (``UploadLimitMiddleware``)."""
    if kind not in UPLOAD_LIMIT_SETTINGS:
        raise ValueError(f"Unknown kind of upload: {kind}")

    def mark(view: View) -> View:
        view.upload_kind = kind  # type: ignore[attr-defined]  # an attribute set on a function
        return view

    return mark


def upload_limit(view: Callable[..., object]) -> int:
    """The largest file the view accepts, in bytes; 0 for a view that receives no file."""
    kind = getattr(view, "upload_kind", None)
    return getattr(settings, UPLOAD_LIMIT_SETTINGS[kind]) if kind else 0


class CutOffUpload(UploadedFile):
    """Stands for a file whose upload was cut off past its limit: nothing of it was kept."""

    def __init__(self, *, name: str | None, content_type: str | None, received: int) -> None:
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=received)


class SizeLimitUploadHandler(FileUploadHandler):
    """First of the upload handlers: stops reading the body as soon as one file runs past ``limit`` bytes.

    The handlers behind it (memory, temporary file) never receive the bytes past the limit, and the parser closes
    (deletes) what they hold; the fields read before the file are kept, so a form comes back with its text.
    """

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.cut_off: list[tuple[str, CutOffUpload]] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            upload = CutOffUpload(name=self.file_name, content_type=self.content_type, received=start + len(raw_data))
            self.cut_off.append((self.field_name, upload))
            raise StopUpload(connection_reset=True)  # the rest of the body is not read
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler keeps the file


def check_size(upload: UploadedFile, limit: int) -> None:
    """A ValidationError in French when the file is over ``limit`` bytes, or was cut off for being so."""
    if isinstance(upload, CutOffUpload):
        raise ValidationError(
            _(
                "Ce fichier dépasse la limite de %(limit)s : son envoi a été interrompu. "
                "Choisissez un fichier plus léger."
            )
            % {"limit": filesizeformat(limit)}
        )
    size = cast(int, upload.size)  # an uploaded file knows its size
    if size > limit:
        raise ValidationError(
            _("Ce fichier pèse %(size)s : la limite est de %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def detect_content_type(upload: UploadedFile) -> str:
    """The type libmagic reads from the file's bytes, whatever its name or the browser says."""
    upload.seek(0)
    head = upload.read(min(cast(int, upload.size), 4 * 1024 * 1024))
    upload.seek(0)
    return magic.from_buffer(head, mime=True)


def document_help_text() -> str:
    return _("PDF, documents bureautiques ou images ; %(size)s au plus.") % {
        "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)
    }


def validate_document(upload: UploadedFile) -> str:
    """The document's real type, or a ValidationError in French (too large, type refused, wrong extension)."""
    check_size(upload, settings.ATTACHMENT_MAX_BYTES)
    content_type = detect_content_type(upload)
    name = cast(str, upload.name)  # an uploaded file has a name
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if content_type not in ACCEPTED_TYPES:
        raise ValidationError(
            _("Ce type de fichier n'est pas accepté. Formats acceptés : %(formats)s.")
            % {"formats": ", ".join(ACCEPTED_EXTENSIONS)}
        )
    if extension not in ACCEPTED_TYPES[content_type]:
        raise ValidationError(
            _("Le contenu du fichier ne correspond pas à son extension « %(extension)s ».")
            % {"extension": extension or "—"}
        )
    return content_type
