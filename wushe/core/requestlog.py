"""One JSON line per request, for a log collector (production: ``WUSHE_REQUEST_LOG=1``).

What a line holds: time, method, the URL's path (never its query string: a search may carry a
name), the route's name, status, duration in milliseconds, response size, the user's internal id
(a number, not a name), and the request id from the proxy's ``X-Request-ID`` when there is one.
Nothing personal: wushe keeps ID and phone numbers out of URLs, and a number a client typed
into a path is redacted before the line is written.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

from .sensitive import redact_personal_numbers

logger = logging.getLogger("wushe.request")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if logger.isEnabledFor(logging.INFO):
            user = getattr(request, "user", None)
            match = getattr(request, "resolver_match", None)
            size = response.get("Content-Length")
            logger.info(
                "request",
                extra={
                    "wushe": {
                        "method": request.method,
                        "path": redact_personal_numbers(request.path),
                        "route": match.view_name if match else None,
                        "status": response.status_code,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "bytes": int(size) if size and size.isdigit() else None,
                        "user": user.pk if user is not None and user.is_authenticated else None,
                        "request_id": request.headers.get("X-Request-ID", "")[:64] or None,
                    }
                },
            )
        return response


class JsonLineFormatter(logging.Formatter):
    """A log record as one JSON object on one line (the request fields under their names)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        fields = getattr(record, "wushe", None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["message"] = record.getMessage()
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))
