"""Request bodies larger than the upload limit are refused early, before they reach the disk.

:class:`LimitedUploadHandler` (first in ``FILE_UPLOAD_HANDLERS``) stops reading a multipart body
as soon as a file passes the limit — at once when the request's ``Content-Length`` already says
so — and marks the request; the upload page then shows the limit on the file field (413).
:class:`UploadLimitMiddleware` answers an API request whose ``Content-Length`` is over the limit
with 413 and the field, without reading its body.

The limit is the larger of ``WUSHE_IMPORT_MAX_BYTES`` (ledgers) and ``WUSHE_UPLOAD_MAX_BYTES``
(photos); each form checks its own, smaller, limit on what got through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse, JsonResponse

from .limits import limit, too_large_message

_MULTIPART_SLACK = 64 * 1024  # the form's other fields and the multipart boundaries


def upload_limit() -> int:
    return max(limit("WUSHE_IMPORT_MAX_BYTES"), int(getattr(settings, "WUSHE_UPLOAD_MAX_BYTES", 0)))


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class LimitedUploadHandler(FileUploadHandler):
    """Stops the upload once a file (or the announced body) passes the limit."""

    def handle_raw_input(
        self, input_data: Any, META: Any, content_length: int, boundary: Any, encoding: Any = None
    ) -> None:
        self.limit = upload_limit()
        self.announced = content_length if content_length > self.limit + _MULTIPART_SLACK else 0

    def _stop(self, size: int) -> None:
        if self.request is not None:
            # an attribute of this app's own on the request (the upload view reads it); Django's
            # request takes any attribute, its stubs name only Django's own
            self.request.upload_too_large = size  # type: ignore[attr-defined]
        raise StopUpload(connection_reset=True)

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if getattr(self, "announced", 0):
            self._stop(self.announced)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > getattr(self, "limit", upload_limit()):
            self._stop(start + len(raw_data))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class UploadLimitMiddleware:
    """413 for an API request whose body is announced larger than the upload limit."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        size = _content_length(request)
        if size > upload_limit() + _MULTIPART_SLACK and request.path.startswith("/api/"):
            return JsonResponse(
                {"detail": [{"loc": ["body", "file"], "msg": too_large_message(size), "type": "too_large"}]},
                status=413,
            )
        return self.get_response(request)
