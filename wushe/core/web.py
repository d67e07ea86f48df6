"""Page helpers every app's views share: the signed-in request, a service's error as one line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.http import HttpRequest

if TYPE_CHECKING:
    from wushe.core.types import User


class AuthedRequest(HttpRequest):
    """The request of a view behind ``login_required`` (or an API operation: the API refuses
    anonymous callers): its ``user`` is a signed-in ``accounts.User``, never the anonymous user.
    A view that hands ``request.user`` to a service as ``acting_user`` takes ``request:
    AuthedRequest``. For the type checker only: at run time it is Django's own request."""

    user: User


def first_error(exc: ValidationError) -> str:
    return " ".join(exc.messages)
