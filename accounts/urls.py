from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.PortalLoginView.as_view(), name="login"),
    path("deconnexion/", views.PortalLogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("verrouillages/", views.lockouts, name="lockouts"),
    path("notifications/preferences/", views.notification_preferences, name="notification_preferences"),
    path("envois-en-echec/", views.failed_emails, name="failed_emails"),
    path("envois-en-echec/<int:pk>/renvoyer/", views.email_resend, name="email_resend"),
    path(
        "mot-de-passe/",
        views.PortalPasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "mot-de-passe/oubli/",
        views.PortalPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
