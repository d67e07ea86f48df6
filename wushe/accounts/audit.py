"""Sign-ins and failed sign-ins go to the access-event log.

Django announces them only through its auth signals, so these receivers are the one place
where the log is written outside a service.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from wushe.core.models import AccessEventKind
from wushe.core.services import access_event_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    access_event_record(kind=AccessEventKind.LOGIN, user=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        access_event_record(kind=AccessEventKind.LOGOUT, user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    if credentials.get("second_factor"):
        return  # a wrong second-factor code: ``services.two_factor_verify`` recorded it already
    access_event_record(
        kind=AccessEventKind.LOGIN_FAILED,
        username=str(credentials.get("username", ""))[:150],
        request=request,
    )
