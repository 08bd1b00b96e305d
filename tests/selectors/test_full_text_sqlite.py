"""SQLite's full-text search (FTS5, kb.models.search): kept in sync by triggers whatever writes,
ranked by bm25 for "Best match", and safe with any input. PostgreSQL has its own search
(tests/views/test_claim_search.py runs on both)."""
import pytest
from django.db import connection

from kb.models import Citation, Claim
from kb.selectors import claims as browse
from kb.services import claims as claim_services
from tests.factories import SECOND_PHRASE, THIRD_PHRASE, ClaimFactory, CitationFactory, make_claim, words

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's; PostgreSQL uses its GIN indexes")


def found(query: str) -> list[int]:
    filters = {"q": query, "status": "all"}
    claims, _ = browse.sort_claims(browse.filter_claims(filters, editor=True), filters)
    return list(claims.values_list("id", flat=True))


def test_a_claim_is_found_by_its_statement_and_its_quote_from_the_moment_it_is_written(editor):
    claim = make_claim(editor, statement="The zorblax convoy crossed at dawn.")
    assert found("zorblax") == [claim.pk]
    assert claim.pk in found("Seven Israeli soldiers")  # the words it quotes
    assert found("zorbl") == [claim.pk]  # a word's beginning finds it ("tunnel" finds "tunnels")


def test_edits_citations_and_merges_keep_the_index(editor):
    claim = make_claim(editor, statement="The zorblax convoy crossed at dawn.")
    claim_services.claim_update(claim=claim, by=editor, version=claim_services.version_token(Claim.objects.get(pk=claim.pk)),
                                fields=claim_services.ClaimFields(statement="The quintaxe convoy crossed at dawn."))
    assert found("zorblax") == [] and found("quintaxe") == [claim.pk]
    claim_services.citation_add(claim=claim, by=editor, selection=words(claim.citations.first().source, SECOND_PHRASE))
    assert claim.pk in found("conference Tehran supporting Palestine")
    target = make_claim(editor, phrase=THIRD_PHRASE, statement="A flurbex convoy crossed.")
    claim_services.claim_merge(claim=claim, into=target, by=editor)
    assert target.pk in found("conference Tehran supporting Palestine")  # its citations moved, with their quotes


def test_rows_written_around_the_services_are_indexed_too(db):
    claim = ClaimFactory(statement="Bulk zorblax row.")
    citation = CitationFactory(claim=claim, quote=THIRD_PHRASE)
    assert found("zorblax") == [claim.pk] and claim.pk in found("progressively increased")
    Citation.objects.filter(pk=citation.pk).delete()
    assert claim.pk not in found("progressively increased")
    Claim.objects.filter(pk=claim.pk).delete()
    assert found("zorblax") == []


def test_best_match_ranks_by_bm25_not_by_date(editor):
    older = ClaimFactory(statement="Zorblax " + "filler words about the port and the ministry " * 6, date_edtf="1990")
    newer = ClaimFactory(statement="Zorblax zorblax zorblax.", date_edtf="2020")
    filters = {"q": "zorblax"}
    claims, sort = browse.sort_claims(browse.filter_claims(filters), filters)
    assert sort == "relevance"
    assert list(claims.values_list("id", flat=True)) == [newer.pk, older.pk]
    assert [c.pk for c in browse.claim_lookup(editor, "zorblax")] == [newer.pk, older.pk]  # the editors' look-up too
    filters = {"q": "zorblax", "sort": "date"}
    claims, _ = browse.sort_claims(browse.filter_claims(filters), filters)
    assert list(claims.values_list("id", flat=True)) == [older.pk, newer.pk]


# (query, found): FTS5's operators are words like any other here, so "NEAR" must be in the claim (and
# "AND" is found: the quote says "soldiers and one settler").
HOSTILE = [
    ('"', False), ('""', False), ("*", False), ("zorblax*", True), ('"zorblax', True), ("(", False), (")", False),
    ("((zorblax", True), ("NEAR(zorblax convoy)", False), ("zorblax convoy NEAR", False), ("zorblax OR", False),
    ("AND", True), ("statement:zorblax", False), ("^zorblax", True), ("-zorblax", True), ("+", False),
    ("zor\x00blax", False), ("zorblax " * 2000, True), ("x" * 10_000, False), ("ærø ünïcødé 東京", False),
    ("'; DROP TABLE kb_claim; --", False), ('zorblax" OR "convoy', False), ("zorblax:convoy", True),
]


@pytest.mark.parametrize("query, finds", HOSTILE, ids=[repr(q[:30]) for q, _ in HOSTILE])
def test_any_input_is_words_only_and_never_an_error(editor, query, finds):
    claim = make_claim(editor, statement="The zorblax convoy crossed at dawn.")
    assert (claim.pk in found(query)) is finds


def test_the_list_page_ranks_on_sqlite_and_says_when_it_does_not(client, editor):
    make_claim(editor, statement="The zorblax convoy crossed at dawn.")
    html = client.get("/claims/?q=zorblax").content.decode()
    assert "convoy crossed at dawn" in html and "sorted by date" not in html
