from django.http import HttpRequest

from accounts.models import Organisation
from innovation_portal.navigation import sections_for


def portal(request: HttpRequest) -> dict[str, object]:
    """The collectivité's name and the navigation of the signed-in person."""
    user = getattr(request, "user", None)
    navigation = sections_for(user, request.path) if user and user.is_authenticated else []
    return {"organisation": Organisation.current(), "navigation": navigation}
