"""create_user: the password from the environment, roles, updates, weak passwords refused."""
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


def test_create_user_takes_the_password_from_the_environment(db, monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("CLAIMBOOK_PASSWORD", "a-good-long-passphrase-7")
    call_command("create_user", "newadmin", "--role", "admin")
    user = get_user_model().objects.get(username="newadmin")
    assert user.is_staff and not user.is_superuser and user.check_password("a-good-long-passphrase-7")
    assert list(user.groups.values_list("name", flat=True)) == ["admin"]
    assert user.has_perm("kb.hide_annotation") and user.has_perm("auth.add_user")
    with pytest.raises(CommandError, match="exists"):
        call_command("create_user", "newadmin", "--role", "editor")
    call_command("create_user", "newadmin", "--role", "editor", "--update")
    user = get_user_model().objects.get(username="newadmin")
    assert not user.is_staff and list(user.groups.values_list("name", flat=True)) == ["editor"]
    with pytest.raises(CommandError):
        call_command("create_user", "x", "--role", "editor", "--password", "in-the-shell-history")
    monkeypatch.setenv("CLAIMBOOK_PASSWORD", "short")
    with pytest.raises(CommandError, match="Password refused"):
        call_command("create_user", "weak", "--role", "researcher")
