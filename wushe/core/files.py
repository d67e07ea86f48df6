"""Uploaded files: where they are kept (``UploadStorage``) and what a file is, read from its first
bytes (the name and the browser's claim are not trusted)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class UploadStorage(FileSystemStorage):
    """Uploads (activity photos, signed consent scans) live in ``WUSHE_UPLOAD_ROOT``
    (``WUSHE_DATA_DIR/uploads``), never in the code tree, and are served only through a scoped view
    (no public URL). Each app's ``models.upload_storage`` returns one (the migrations name that
    function)."""

    @property
    def base_location(self) -> str:
        return str(settings.WUSHE_UPLOAD_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def sniff_image(head: bytes) -> str | None:
    """The image type from the file's first bytes (the name and the browser's claim are not trusted)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
