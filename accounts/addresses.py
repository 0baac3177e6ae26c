"""The address of the person behind a request, when the portal sits behind reverse proxies.

Behind a proxy, ``REMOTE_ADDR`` is the proxy's address, shared by everyone: a lockout by account and address
then locked the account for all. Each trusted proxy appends the address it received the request from to
``X-Forwarded-For``; with ``TRUSTED_PROXY_COUNT`` proxies, the client's address is the one the outermost proxy
appended, the ``TRUSTED_PROXY_COUNT``-th from the end. Whatever stands before it was written by the client and
is never believed.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address (``AXES_CLIENT_IP_CALLABLE``); the connection's when no proxy is trusted."""
    remote = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # the request did not come through all the proxies: only the connection is known
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote
