from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from network import selectors


@require_GET
@login_required
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The network's page, for its animateur and its members' DGS: the members and aggregated figures only."""
    network = selectors.get_network_for_user(request.user)
    context = {
        "overview": selectors.network_overview(network),
        "is_animateur": selectors.is_animateur(request.user),
        "editions": selectors.editions_for(network, request.user),
    }
    return render(request, "network/overview.html", context)
