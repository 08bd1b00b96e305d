"""The login form: a wrong password and a lockout say different things, and neither says
whether the account exists (failures are counted for any username, known or not)."""
from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from kb.auth import client_ip, login_locked


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "This username and password do not match. Check both: the password is case-sensitive.",
        "locked": "Too many failed logins for this username from your address: logins for it are paused for "
                  "%(minutes)s minutes. Each attempt in that time starts the wait again.",
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError as exc:
            username = str(self.cleaned_data.get("username") or "")[:150]
            if exc.code == "invalid_login" and username and login_locked(username, client_ip(self.request)):
                raise ValidationError(
                    self.error_messages["locked"], code="locked",
                    params={"minutes": math.ceil(settings.CLAIMBOOK_LOGIN_LOCKOUT_SECONDS / 60)},
                ) from None
            raise
