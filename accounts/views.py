from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import oidc, outbox, selectors
from accounts.forms import NotificationPreferencesForm
from accounts.http import AuthenticatedHttpRequest
from accounts.models import Notification, OutgoingEmail
from accounts.services import notification_preferences_save, notifications_mark_read, password_reset_request
from common.views import page_of, query_without_page


class PortalLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            oidc_enabled=oidc.enabled(),
            oidc_provider_name=settings.OIDC_PROVIDER_NAME,
            local_login=settings.LOCAL_LOGIN_ENABLED,
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOCAL_LOGIN_ENABLED:
            return redirect("accounts:login")
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Vous êtes connecté·e."))
        return response


class PortalLogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        # Signed in through the provider: its session ends too (read before ours is flushed).
        at_provider = (
            oidc.provider_logout_url(request) if oidc.enabled() and "oidc_id_token" in request.session else None
        )
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Vous êtes déconnecté·e."))
        return redirect(at_provider) if at_provider else response


class PortalPasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Votre mot de passe a été changé."))
        return response


class PortalPasswordResetView(auth_views.PasswordResetView):
    """Hands the address to a worker and answers at once: the request does the same work, in the same
    time, whether the address belongs to an account or not (the worker looks it up)."""

    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        password_reset_request(email=form.cleaned_data["email"])
        return redirect(self.get_success_url())


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "accounts/profile.html", {"profile_user": request.user})


def lockout(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, object] | None
) -> HttpResponse:
    """Shown by django-axes instead of the login page once too many attempts failed."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"cooloff_minutes": minutes}, status=429)


@login_required
def notifications(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's inbox, newest first; opening it marks everything as read."""
    items = page_of(request, Notification.objects.filter(user=request.user), 30)
    unread = {item.pk for item in items if item.read_at is None}
    notifications_mark_read(user=request.user, ids=unread)
    return render(request, "accounts/notifications.html", {"page": items, "unread": unread, "query": ""})


@login_required
@permission_required("accounts.view_lockout", raise_exception=True)
def lockouts(request: AuthenticatedHttpRequest) -> HttpResponse:
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


@login_required
def notification_preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """How the person wants to hear of each kind of notification."""
    form = NotificationPreferencesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        notification_preferences_save(user=request.user, channels=form.channels())
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("accounts:notification_preferences")
    status = 400 if form.errors else 200
    return render(request, "accounts/notification_preferences.html", {"form": form}, status=status)


def _check_can_resend(request: HttpRequest) -> None:
    if not request.user.has_perm("accounts.resend_outgoingemail"):
        raise PermissionDenied


@login_required
def failed_emails(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The DGS's list of the messages that could not be delivered, newest first, each with a resend button."""
    _check_can_resend(request)
    emails = selectors.collectivite_emails()
    failed = emails.filter(status=OutgoingEmail.Status.FAILED).select_related("user")
    waiting = emails.filter(status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING])
    page = page_of(request, failed, 30)
    return render(request, "accounts/failed_emails.html", {"page": page, "waiting": waiting.count(), "query": ""})


@login_required
@require_POST
def email_resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _check_can_resend(request)
    email = get_object_or_404(selectors.collectivite_emails(), pk=pk)
    if outbox.email_resend(email=email):
        messages.success(
            request, _("Le message à %(address)s repart : il sera envoyé dans un instant.") % {"address": email.to}
        )
    else:
        messages.info(request, _("Ce message n'est plus en échec : il a déjà été renvoyé."))
    return redirect("accounts:failed_emails")
