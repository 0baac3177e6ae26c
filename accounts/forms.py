"""Forms of the accounts app."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from accounts import outbox
from accounts.models import Channel, NotificationKind, NotificationPreference, OutgoingEmail, User


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, its message written to the outbox instead of sent during the request:
    a known address and an unknown one get the same answer in the same time."""

    def send_mail(  # noqa: PLR0913
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        outbox.email_queue(
            to=to_email, user=context["user"], kind=OutgoingEmail.Kind.PASSWORD_RESET, subject=subject, body=body
        )


class NotificationPreferencesForm(forms.Form):
    """One choice per kind of notification: in the portal only, also by e-mail, or in the daily digest."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = dict(user.notification_preferences.values_list("kind", "channel"))
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                widget=forms.RadioSelect,
                initial=chosen.get(kind.value, NotificationPreference.default(kind)),
            )
        self.no_email = not user.email

    def channels(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data[kind.value] for kind in NotificationKind}
