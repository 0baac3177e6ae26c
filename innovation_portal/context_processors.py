from django.http import HttpRequest

from accounts.models import Organisation
from innovation_portal.accessibility import CONFORMITY
from innovation_portal.navigation import sections_for


def portal(request: HttpRequest) -> dict[str, object]:
    """The collectivité's name, the navigation, the unread notifications of the signed-in person and
    the accessibility level the footer states."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "organisation": Organisation.current(),
        "accessibility_conformity": CONFORMITY.label,
        "navigation": sections_for(user, request.path) if signed_in else [],
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count() if signed_in else 0,
    }
