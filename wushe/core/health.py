"""``/healthz``: is this wushe process able to serve? For the load balancer and the monitoring.

No login, nothing personal: the state of the database (one ``SELECT 1``) and the age of the
oldest task waiting for a worker (an import that nobody picks up shows here before a user
notices). 200 when the database answers, 503 when it does not; a queue that is old but moving is
reported, not failed — the monitoring decides how long is too long
(``WUSHE_HEALTH_TASK_WARN_SECONDS``, default 300, sets ``tasks`` to ``"waiting"``).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _oldest_waiting_task_seconds() -> float | None:
    from django_tasks_db.models import DBTaskResult  # the database backend's table

    oldest = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    )
    if oldest is None:
        return None
    return max(0.0, (timezone.now() - oldest).total_seconds())


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    body: dict[str, object] = {"status": "ok", "database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        waiting = _oldest_waiting_task_seconds()
    except DatabaseError:
        body.update(status="error", database="unavailable")
        return JsonResponse(body, status=503)
    warn = getattr(settings, "WUSHE_HEALTH_TASK_WARN_SECONDS", 300)
    body["oldest_waiting_task_seconds"] = None if waiting is None else round(waiting, 1)
    body["tasks"] = "waiting" if waiting is not None and waiting > warn else "ok"
    body["checked_in_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return JsonResponse(body)
