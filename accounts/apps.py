from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, sync_role_groups


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Comptes et organisation")
    role_permissions = {
        Role.DGS: [
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "auth.view_group",
            "accounts.view_direction",
            "accounts.add_direction",
            "accounts.change_direction",
            "accounts.view_organisation",
            "accounts.change_organisation",
            "accounts.view_lockout",
            "accounts.resend_outgoingemail",
        ],
    }

    def ready(self) -> None:
        # Connected after django.contrib.auth's own handler, so each app's
        # permissions exist when its grants are made.
        post_migrate.connect(sync_role_groups, dispatch_uid="accounts.sync_role_groups")
        from accounts.sessions import activity_at_login

        user_logged_in.connect(activity_at_login, dispatch_uid="accounts.activity_at_login")
        from axes.signals import user_locked_out

        from accounts.services import lockout_received

        user_locked_out.connect(lockout_received, dispatch_uid="accounts.lockout_received")
