"""Bad input to the API: a 400 or 422 problem document, never a 500, nothing written."""
import json

import pytest
from django.test import Client

from kb.models import Claim
from kb.services.tokens import token_create
from tests.factories import UNIQUE_PHRASE

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_api(users):
    _token, secret = token_create(by=users["editor"], name="script", scope="write")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _claim():
    return Claim.objects.published().order_by("id").first()


def _selector(text, phrase=UNIQUE_PHRASE, shift=0):
    start = text.index(phrase) + shift
    return {"start": start, "end": start + len(phrase), "exact": phrase}


CASES = {
    "malformed json": lambda seeds: ("claims/{claim}/annotations", b'{"body": "unterminated', 400, "malformed_json"),
    "not utf-8": lambda seeds: ("claims/{claim}/annotations", b'{"body": "\xff\xfe"}', 400, "malformed_json"),
    "a list, not an object": lambda seeds: ("claims/{claim}/annotations", b'["body"]', 422, "invalid"),
    "wrong type": lambda seeds: ("claims/{claim}/annotations", {"body": 12}, 422, "invalid"),
    "unknown kind": lambda seeds: ("claims/{claim}/annotations", {"body": "x", "kind": "rant"}, 422, "invalid_choice"),
    "unknown field": lambda seeds: ("claims/{claim}/annotations", {"body": "x", "author": "someone else"}, 422, "unknown_field"),
    "empty body": lambda seeds: ("claims/{claim}/annotations", {"body": "   "}, 422, "required"),
    "no body": lambda seeds: ("claims/{claim}/annotations", {"kind": "context"}, 422, "required"),
    "javascript reference": lambda seeds: (
        "claims/{claim}/annotations", {"body": "x", "references": [{"url": "javascript:alert(1)", "title": "t"}]},
        422, "url_scheme"),
    "oversized body": lambda seeds: ("claims/{claim}/annotations", {"body": "x" * 300_000}, 400, "too_large"),
    "selector outside the text": lambda seeds: (
        f"sources/{seeds['article'].slug}/annotations",
        {"body": "x", "selector": {"start": len(seeds["article"].text) + 5, "end": len(seeds["article"].text) + 9, "exact": "abcd"}},
        422, "invalid_range"),
    "selector that does not match": lambda seeds: (
        f"sources/{seeds['article'].slug}/claims",
        {"statement": "s", "selector": _selector(seeds["article"].text, shift=3)}, 422, "quote_mismatch"),
    "negative selector": lambda seeds: (
        f"sources/{seeds['article'].slug}/claims",
        {"statement": "s", "selector": {"start": -4, "end": 3, "exact": "abc"}}, 422, "min_value"),
    "bad date": lambda seeds: (
        f"sources/{seeds['article'].slug}/claims",
        {"statement": "s", "date_edtf": "sometime", "selector": _selector(seeds["article"].text)}, 422, "invalid_edtf"),
    "credibility out of range": lambda seeds: (
        f"sources/{seeds['article'].slug}/claims",
        {"statement": "s", "credibility": 9, "selector": _selector(seeds["article"].text)}, 422, "max_value"),
    "relation to itself": lambda seeds: ("claims/{claim}/relations", {"type": "refines", "other": _claim().pk}, 422, "relation_to_itself"),
    "relation to nothing": lambda seeds: ("claims/{claim}/relations", {"type": "refines", "other": 10**12}, 422, "not_found"),
    "huge integer": lambda seeds: ("claims/{claim}/relations", {"type": "refines", "other": 10**30}, 422, "max_value"),
    "review of a published claim": lambda seeds: ("claims/{claim}/review", {"decision": "accept"}, 422, "not_candidate"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_a_problem_and_writes_nothing(seeds, editor_api, db_snapshot, case):
    path, payload, status, code = CASES[case](seeds)
    url = "/api/" + path.format(claim=_claim().pk)
    body = payload if isinstance(payload, bytes) else json.dumps(payload)
    before = db_snapshot()
    response = editor_api.post(url, body, content_type="application/json")
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == code or code in {e["code"] for e in problem.get("errors", [])}, problem
    assert problem["status"] == status and problem["type"].endswith(problem["code"])
    assert db_snapshot() == before


def test_unknown_paths_and_methods_are_problems_or_plain_4xx(seeds, editor_api):
    assert editor_api.get("/api/claims/999999999/").json()["code"] == "not_found"
    assert editor_api.delete(f"/api/claims/{_claim().pk}/").status_code == 405
