from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.models import Notification
from accounts.services import notifications_mark_read
from common.views import page_of, query_without_page


class PortalLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):  # noqa: ANN001, ANN201
        response = super().form_valid(form)
        messages.success(self.request, _("Vous êtes connecté·e."))
        return response


class PortalLogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Vous êtes déconnecté·e."))
        return response


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):  # noqa: ANN001, ANN201
        response = super().form_valid(form)
        messages.success(self.request, _("Votre mot de passe a été changé."))
        return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"profile_user": request.user})


def lockout(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None) -> HttpResponse:
    """Shown by django-axes instead of the login page once too many attempts failed."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"cooloff_minutes": minutes}, status=429)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The person's inbox, newest first; opening it marks everything as read."""
    items = page_of(request, Notification.objects.filter(user=request.user), 30)
    unread = {item.pk for item in items if item.read_at is None}
    notifications_mark_read(user=request.user, ids=unread)
    return render(request, "accounts/notifications.html", {"page": items, "unread": unread, "query": ""})


@login_required
@permission_required("accounts.view_lockout", raise_exception=True)
def lockouts(request: HttpRequest) -> HttpResponse:
    """For the DGS: the accounts locked lately, those locked from many addresses first; one account's lockouts."""
    context = {
        "days": settings.LOCKOUT_REVIEW_DAYS,
        "alert": settings.LOCKOUT_ALERT_ADDRESSES,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "query": query_without_page(request),
    }
    username = request.GET.get("compte", "").strip()[:150]
    if username:
        context.update(account=username, page=page_of(request, selectors.lockout_addresses(username), 50))
    else:
        context["page"] = page_of(request, selectors.locked_accounts(), 50)
    return render(request, "accounts/lockouts.html", context)
