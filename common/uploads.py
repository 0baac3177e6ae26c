"""Documents people upload: the type is read from the bytes, the size is bounded."""

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
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
ACCEPTED_EXTENSIONS = sorted({ext for extensions in ACCEPTED_TYPES.values() for ext in extensions})


def detect_content_type(upload: object) -> str:
    """The type libmagic reads from the file's bytes, whatever its name or the browser says."""
    upload.seek(0)
    head = upload.read(min(upload.size, 4 * 1024 * 1024))
    upload.seek(0)
    return magic.from_buffer(head, mime=True)


def document_help_text() -> str:
    return _("PDF, documents bureautiques ou images ; %(size)s au plus.") % {
        "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES)
    }


def validate_document(upload: UploadedFile) -> str:
    """The document's real type, or a ValidationError in French (too large, type refused, wrong extension)."""
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("Ce fichier pèse %(size)s : la limite est de %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
        )
    content_type = detect_content_type(upload)
    extension = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
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
