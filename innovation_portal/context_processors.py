from django.http import HttpRequest

from accounts.models import Organisation, User
from common.tenancy import sole_organisation
from innovation_portal.accessibility import CONFORMITY
from innovation_portal.navigation import sections_for


def portal(request: HttpRequest) -> dict[str, object]:
    """The collectivité's name (the network's for its animateur), the navigation, the unread notifications of
    the signed-in person and the accessibility level the footer states."""
    user = getattr(request, "user", None)
    signed_in = user if isinstance(user, User) and user.is_authenticated else None
    if signed_in is not None and signed_in.organisation_id is None and signed_in.network_id is None:
        # The host operator reads every collectivité's rows: the header names the deployment's only one, if any.
        organisation = Organisation.objects.filter(pk__in=sole_organisation()).first()
    else:
        organisation = Organisation.current()
    in_network = organisation is not None and organisation.network_id is not None
    return {
        "organisation": organisation,
        # A network's animateur belongs to no collectivité: the header names the network instead.
        "animated_network": signed_in.network
        if signed_in is not None and signed_in.organisation_id is None and signed_in.network_id is not None
        else None,
        "accessibility_conformity": CONFORMITY.label,
        "navigation": sections_for(signed_in, request.path, in_network=in_network) if signed_in is not None else [],
        "unread_notifications": signed_in.notifications.filter(read_at__isnull=True).count()
        if signed_in is not None
        else 0,
    }
