"""Accounts: what the login limit counts."""
from django.db import models


class LoginFailure(models.Model):
    """One failed login, kept in the database so that every app process counts the same failures."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["username", "ip", "at"], name="loginfailure_lookup")]

    def __str__(self):
        return f"{self.username} from {self.ip} at {self.at:%Y-%m-%d %H:%M}"
