"""Every URL in the URL map, for every role, with hostile values in every parameter: never a 500,
never inline code on a page, and a refused POST writes nothing (issue 13, fuzzing suite).

The URL map is read from kb/urls.py (the admin's and the auth app's URLs included), so a new
page is walked without anyone adding it here. Path parameters get a real value and a hostile
one; the query string and the body carry every parameter the app reads, twice each, with
values rotated so that every parameter meets every hostile value across the walk.
"""
from __future__ import annotations

import re
from itertools import count

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kb.models import Claim
from kb.services import annotations as annotation_services
from kb.services import claims as claim_services
from tests.security.hostile import HOSTILE, QUERY_HOSTILE, encode, hostile_query, parameter_names
from tests.security.html_checks import inline_code
from tests.factories import ARTICLE_SLUG, SECOND_PHRASE, THIRD_PHRASE, article, make_candidate, make_claim, make_user

ROLES = [None, "researcher", "editor", "admin"]
HOSTILE_PATH = ["0", "99999999999999999999", "\x00", "²", "-1", "x" * 10_000, "%", "..", "\ud800"]
HOSTILE_SLUG = "a" * 10_000
_PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\((?:\?P<(?P<name>\w+)>)?[^)]*\)")


def url_patterns(resolver=None, prefix: str = ""):
    """(route, callback name) for every pattern in the URL map, as one string per route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route


@pytest.fixture
def world(db):
    users = {role: make_user(role, f"walk-{role}") if role else None for role in ROLES}
    editor = users["editor"]
    claim = make_claim(editor, statement="Walked claim.")
    claim.tags.add("walked")
    other = make_claim(editor, phrase=SECOND_PHRASE, statement="Other claim.")
    relation = claim_services.relation_add(from_claim=claim, to_claim=other, type="consistent_with", by=editor)
    note = annotation_services.annotation_create(by=editor, kind="context", body="A note.", claim=claim)
    start = article().text.index(THIRD_PHRASE)
    candidate = make_candidate(start=start, end=start + len(THIRD_PHRASE), statement="Candidate.")
    ids = {
        "claims": claim.pk, "relations": relation.pk, "citations": claim.citations.get().pk,
        "annotations": note.pk, "review": candidate.pk, "jobs": 1,
    }
    return {"users": users, "claim": claim, "ids": ids}


def _real_value(route: str, name: str, converter: str | None, world) -> str:
    parts = [p for p in route.split("/") if p]
    if name == "pk":
        return str(world["ids"].get(parts[0] if parts[0] != "admin" else parts[-3], world["claim"].pk))
    if name == "slug":
        return {"entities": "hamas", "tags": "walked"}.get(parts[0], ARTICLE_SLUG)
    if name == "version":
        return "1"
    if name == "content_type_id":
        return str(ContentType.objects.get_for_model(Claim).pk)
    if name in ("object_id", "id"):
        app, model = parts[1], parts[2]
        if app == "auth" and model == "user":
            return str(world["users"]["editor"].pk)
        return str(world["claim"].pk) if model in ("claim", "r") else "1"
    if name == "app_label":
        return "kb"
    return {"uidb64": "MQ", "token": "set-password", "batch": "walk"}.get(name, "1")


def _hostile_value(name: str, converter: str | None, turn: int) -> str | None:
    if converter == "int":
        return ["0", "99999999999999999999"][turn % 2]
    if converter == "slug":
        return HOSTILE_SLUG
    if name == "app_label":
        return None  # an alternation of the installed apps: nothing else resolves
    return HOSTILE_PATH[turn % len(HOSTILE_PATH)]


def _fill(route: str, value_for) -> str | None:
    if route.count("^") or "(" in route:  # a regex route: its groups, then its anchors off
        def group(match):
            value = value_for(match["name"] or "object_id", None)
            return "\x01" if value is None else value
        route = _GROUP.sub(group, route).replace("^", "").replace("$", "")
    else:
        def param(match):
            value = value_for(match["name"], match["converter"])
            return "\x01" if value is None else value
        route = _PARAM.sub(param, route)
    return None if "\x01" in route else "/" + route


def concrete_urls(world) -> list[str]:
    urls, turn = [], count()
    for route in dict.fromkeys(url_patterns()):
        if route.startswith("api/"):
            continue  # the API has its own property tests from its OpenAPI schema (tests/api/)
        real = _fill(route, lambda name, converter: encode(_real_value(route, name, converter, world)))
        urls.append(real)
        if "<" in route or "(" in route:
            n = next(turn)
            hostile = _fill(route, lambda name, converter: (
                None if (v := _hostile_value(name, converter, n)) is None else encode(v)))
            if hostile:
                urls.append(hostile)
    return urls


def _snapshot():
    from django.apps import apps

    return {m.__name__: m.objects.count() for m in apps.get_app_config("kb").get_models() if m._meta.managed}


@pytest.mark.parametrize("role", ROLES)
def test_no_url_answers_500_to_hostile_input(world, role):
    user = world["users"][role]
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    names = parameter_names()
    urls = concrete_urls(world)
    assert len(urls) >= 150, "the URL map shrank: is kb/urls.py still read?"
    failures, tried = [], 0
    for turn, url in enumerate(urls):
        query = hostile_query(names, turn + ROLES.index(role), QUERY_HOSTILE)
        response = client.get(f"{url}?{query}")
        tried += 1
        # /healthz answers 503 by design when a dependency (queue, cache) is not up in tests.
        if response.status_code >= 500 and not (url == "/healthz" and response.status_code == 503):
            failures.append(("GET", url[:120], response.status_code))
        elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            found = inline_code(response.content.decode("utf-8", "replace"))
            if found:
                failures.append(("inline", url[:120], found[:3]))
        # A body in another charset fails the same way whoever sends it: once per URL is enough.
        charsets = ["", "; charset=utf-16"] if role is None else [""]
        for content_type in (f"application/x-www-form-urlencoded{charset}" for charset in charsets):
            before = _snapshot()
            body = hostile_query(names, turn + 7).encode("ascii")
            response = client.generic("POST", url, body, content_type=content_type)
            tried += 1
            if response.status_code >= 500 and not (url == "/healthz" and response.status_code == 503):
                failures.append(("POST", content_type, url[:120], response.status_code))
            elif response.status_code != 302 and _snapshot() != before:
                failures.append(("wrote", url[:120], response.status_code))
    print(f"url walk: role={role or 'anonymous'} urls={len(urls)} requests={tried} failures={len(failures)}")
    assert failures == []


@pytest.mark.parametrize("role", [None])
def test_every_page_meets_every_hostile_value_in_every_parameter(world, role):
    """The site's own pages (not the admin) that answer a plain GET, asked once per hostile
    value with that value in every parameter at once: for anonymous visitors, the widest
    audience, and for editors, whose pages read selections from the query string."""
    client = Client(raise_request_exception=False)
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    names = parameter_names()
    pages = [url for url in concrete_urls(world) if not url.startswith("/admin/") and client.get(url).status_code == 200]
    assert len(pages) >= 10
    failures, tried, answered = [], 0, 0
    for url in pages:
        for value in HOSTILE:
            query = "&".join(f"{encode(name)}={encode(value)}" for name in names)
            response = client.get(f"{url}?{query}")
            tried += 1
            answered += response.status_code == 200
            if response.status_code >= 500:
                failures.append((url[:120], value[:20], response.status_code))
    print(f"url walk, every value: role={role or 'anonymous'} pages={len(pages)} requests={tried} "
          f"answered 200={answered} failures={len(failures)}")
    assert failures == []
    assert answered > 0.8 * tried  # the values reached the pages, not only a refusal in front of them
