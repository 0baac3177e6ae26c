"""The request type of the views behind ``login_required``: their ``request.user`` is a signed-in ``User``."""

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """An ``HttpRequest`` whose user is signed in (the views decorated with ``login_required``)."""

    user: User
