"""Factories and fixtures shared by the editing tests (this module holds no tests)."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client

from kb.services import claims as claim_services
from kb.roles import sync_role_groups
from kb.selectors.selection import selection_find, selection_verify
from kb.models import Citation, Claim, Source
from tests.conftest import ARTICLE_SLUG

PASSWORD = "a-long-test-password-91"
UNIQUE_PHRASE = "Seven Israeli soldiers and one settler were killed."
SECOND_PHRASE = "In 1990, Iran hosted a conference in Tehran supporting Palestine"
THIRD_PHRASE = "Tehran's support progressively increased."


def make_user(role: str | None, name: str | None = None, password: str | None = None):
    """A user in a role's group; without a password (fast: no hashing) unless one is given."""
    User = get_user_model()
    user = User.objects.create_user(name or f"{role or 'nobody'}-user", password=password, is_staff=role == "admin")
    if role:
        if not Group.objects.filter(name=role).exists():
            # A live-server test elsewhere in the run may have flushed the migration's groups.
            sync_role_groups(Group, Permission)
        user.groups.add(Group.objects.get(name=role))
    return user


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def article() -> Source:
    return Source.objects.current().get(slug=ARTICLE_SLUG)


def words(source: Source, phrase: str = UNIQUE_PHRASE):
    """A verified selection of a phrase that occurs once in the source."""
    return selection_find(source=source, quote=phrase)


def make_claim(user, *, source: Source | None = None, phrase: str = UNIQUE_PHRASE, statement: str = "A statement.", **fields) -> Claim:
    source = source or article()
    return claim_services.claim_create_from_selection(
        by=user, selection=words(source, phrase),
        fields=claim_services.ClaimFields(statement=statement, **fields),
    )


def make_candidate(*, source: Source | None = None, start: int, end: int, statement: str, suggested_match=None,
                   date_edtf: str = "", credibility: int | None = 3) -> Claim:
    """A claim as the import extractor proposes it: status candidate, one citation."""
    source = source or article()
    selection = selection_verify(source=source, start=start, end=end, quote=source.text[start:end])
    claim = Claim.objects.create(
        statement=statement, status=Claim.Status.CANDIDATE, origin=Claim.Origin.IMPORT,
        date_edtf=date_edtf, credibility=credibility, rationale="suggested by the extractor",
        suggested_match=suggested_match,
    )
    Citation.objects.create(
        claim=claim, source=source, passage=selection.passage, start=start, end=end, quote=selection.quote,
        prefix=selection.prefix, suffix=selection.suffix,
    )
    return claim


@pytest.fixture
def editor(db):
    return make_user("editor", "eddie")


@pytest.fixture
def other_editor(db):
    return make_user("editor", "edna")


@pytest.fixture
def researcher(db):
    return make_user("researcher", "rita")


@pytest.fixture
def site_admin(db):
    return make_user("admin", "ada")
