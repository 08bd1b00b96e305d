"""Create (or update) an account with one of the three roles.

The password comes from the CLAIMBOOK_PASSWORD environment variable or, failing that, a
prompt; never from an argument, where it would show in the process list and shell history.
"""
import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kb.roles import ADMIN, ROLES

PASSWORD_ENV = "CLAIMBOOK_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a user with a role (researcher, editor or admin). The password is read from "
        f"${PASSWORD_ENV} or asked for; it is never an argument."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--email", default="")
        parser.add_argument("--update", action="store_true", help="Change the role and password of an existing user.")
        parser.add_argument("--dry-run", action="store_true", help="Check everything, change nothing.")

    def handle(self, *args, username, role, email, update, dry_run, **options):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if user is not None and not update:
            raise CommandError(f"User “{username}” exists; pass --update to change their role and password.")
        password = self._password()
        candidate = user or User(**{User.USERNAME_FIELD: username}, email=email)
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from None
        if dry_run:
            self.stdout.write(f"Dry run: would {'update' if user else 'create'} {username} as {role}.")
            return
        with transaction.atomic():
            candidate.set_password(password)
            if email:
                candidate.email = email
            candidate.is_staff = role == ADMIN
            candidate.save()
            candidate.groups.remove(*Group.objects.filter(name__in=ROLES))
            candidate.groups.add(Group.objects.get(name=role))
        self.stdout.write(self.style.SUCCESS(f"{'Updated' if user else 'Created'} {username} as {role}."))

    def _password(self) -> str:
        password = os.environ.get(PASSWORD_ENV, "")
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError(f"Set {PASSWORD_ENV} or run in a terminal to be asked for the password.")
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return first
