from django.http import HttpRequest

from accounts.models import Organisation, User
from innovation_portal.accessibility import CONFORMITY
from innovation_portal.navigation import sections_for


def portal(request: HttpRequest) -> dict[str, object]:
    """The collectivité's name, the navigation, the unread notifications of the signed-in person and
    the accessibility level the footer states."""
    user = getattr(request, "user", None)
    signed_in = user if isinstance(user, User) and user.is_authenticated else None
    return {
        "organisation": Organisation.current(),
        "accessibility_conformity": CONFORMITY.label,
        "navigation": sections_for(signed_in, request.path) if signed_in is not None else [],
        "unread_notifications": signed_in.notifications.filter(read_at__isnull=True).count()
        if signed_in is not None
        else 0,
    }
