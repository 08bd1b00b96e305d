"""The admin's claim search goes through the search index, and its lists sort only along
indexes (kb/admin/scale.py), on SQLite and PostgreSQL."""
import re

import pytest
from django.db import connection

from kb.models import Claim, Relation
from tests.factories import SECOND_PHRASE, THIRD_PHRASE, make_claim

CLAIMS = "/admin/kb/claim/"


def listed(html: str) -> list[int]:
    """The ids of the change list's rows, in order (each row links to its change form)."""
    rows = html[html.index('id="result_list"'):] if 'id="result_list"' in html else ""
    return [int(pk) for pk in re.findall(r'<a href="/admin/kb/\w+/(\d+)/change/', rows)]


@pytest.fixture
def three(db, editor):
    return [
        make_claim(editor, statement="The ministry inspected the port."),
        make_claim(editor, phrase=SECOND_PHRASE, statement="Tunnels were dug under the border."),
        make_claim(editor, phrase=THIRD_PHRASE, statement="The ministry denied digging tunnels."),
    ]


def found(admin_client, term, claims) -> list[int]:
    """Which of `claims` the search lists, in its order (the curated claims are there too)."""
    ours = {claim.pk for claim in claims}
    return [pk for pk in listed(admin_client.get(CLAIMS, {"q": term}).content.decode()) if pk in ours]


def test_the_claim_search_finds_words_newest_first(admin_client, three):
    port, dug, denied = three
    assert found(admin_client, "tunnels", three) == [denied.pk, dug.pk]
    assert found(admin_client, "ministry inspected port", three) == [port.pk]
    assert listed(admin_client.get(CLAIMS, {"q": "zeppelinology"}).content.decode()) == []


def test_the_claim_search_finds_a_key_or_a_number(admin_client, three):
    port = three[0]
    Claim.objects.filter(pk=port.pk).update(key="port-inspection")
    assert listed(admin_client.get(CLAIMS, {"q": "port-inspection"}).content.decode()) == [port.pk]
    assert listed(admin_client.get(CLAIMS, {"q": f"#{port.pk}"}).content.decode()) == [port.pk]


def test_a_search_of_odd_input_is_answered(admin_client, three):
    for term in ["x" * 10_000, '"unclosed', "-", "((", "OR AND NOT", "🙂"]:
        assert admin_client.get(CLAIMS, {"q": term}).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite searches every match through FTS5: nothing is capped")
def test_a_broad_search_says_it_lists_only_the_capped_matches(admin_client, three, monkeypatch):
    monkeypatch.setattr("kb.selectors.claims.COUNT_CAP", 1)
    response = admin_client.get(CLAIMS, {"q": "tunnels"}, follow=True)
    html = response.content.decode()
    assert len(listed(html)) == 1 and "More than 1 claims" in html and "Add words to narrow the search." in html


def test_a_made_up_sort_by_an_unindexed_column_is_ignored(admin_client, three):
    newest_first = listed(admin_client.get(CLAIMS).content.decode())
    assert newest_first == sorted(newest_first, reverse=True)
    # Column 1 is the statement: no link offers it, and a hand-made ?o= does not sort by it.
    assert 'href="?o=1' not in admin_client.get(CLAIMS).content.decode()
    assert listed(admin_client.get(CLAIMS, {"o": "1"}).content.decode()) == newest_first
    oldest_first = listed(admin_client.get(CLAIMS, {"o": "0"}).content.decode())
    assert oldest_first == sorted(oldest_first) and oldest_first[0] < newest_first[-1]


def test_relations_are_listed_newest_first_whatever_the_link_says(admin_client, three, editor):
    from kb.services import claims as claim_services

    port, dug, denied = three
    first = claim_services.relation_add(from_claim=dug, to_claim=denied, type="contradicts", by=editor)
    second = claim_services.relation_add(from_claim=port, to_claim=denied, type="consistent_with", by=editor)
    for query in ({}, {"o": "0"}, {"o": "-2"}):
        assert listed(admin_client.get("/admin/kb/relation/", query).content.decode())[:2] == [second.pk, first.pk]
    assert Relation.objects.count() > 2  # the curated ones, listed after
