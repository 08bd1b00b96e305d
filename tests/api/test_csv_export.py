"""The API's CSV (/api/exports/claims.csv) is the claim list's CSV, row for row, with the
relation and contested columns, then the API's own columns (the claim's URL, its entities'
Wikidata ids, the source's version); in id order, a claim without citations still a line."""
import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType

from kb.exports import API_CSV_COLUMNS, CSV_COLUMNS, RELATION_COLUMNS
from kb.models import Citation, Claim, Entity, Relation
from kb.selectors import exports as export_selectors
from tests.factories import ClaimFactory, related_four

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def _records(text: str) -> list[dict]:
    lines = text.split("\n", 1)[1]  # after the line that describes the selection
    return list(csv.DictReader(io.StringIO(lines)))


def test_the_columns_are_the_pages_then_the_apis_own(client, seeds):
    text = _text(client.get("/api/exports/claims.csv?entity=iran"))
    first, header = list(csv.reader(io.StringIO(text)))[:2]
    assert first == ["# Claimbook claims; selection: entity=iran"]
    assert header == API_CSV_COLUMNS == [*CSV_COLUMNS, "claim_url", "wikidata_ids", "source_version"]
    assert "contested" in header and set(RELATION_COLUMNS) <= set(header)


def test_each_line_is_the_pages_line_for_that_citation(client, seeds):
    page = list(csv.reader(io.StringIO(_text(client.get("/claims/export.csv?entity=iran")))))[1:]
    api = list(csv.reader(io.StringIO(_text(client.get("/api/exports/claims.csv?entity=iran")))))[2:]
    assert len(page) > 20
    by_citation = {(line[0], line[CSV_COLUMNS.index("citation_number")]): line for line in page}
    cited = [line for line in api if line[CSV_COLUMNS.index("citation_number")]]
    assert len(cited) == len(page)
    for line in cited:
        assert line[:len(CSV_COLUMNS)] == by_citation[line[0], line[CSV_COLUMNS.index("citation_number")]]
    # In id order (the page's file is in the page's sort).
    ids = [int(line[0]) for line in api]
    assert ids == sorted(ids) and ids != [int(line[0]) for line in page]


def test_the_relation_and_contested_columns_name_related_claims_both_ways(client, seeds):
    _claims, expected = related_four()
    by_claim = {int(r["claim_id"]): r for r in _records(_text(client.get("/api/exports/claims.csv")))}
    for pk, cells in expected.items():
        assert {column: by_claim[pk][column] for column in cells} == cells


def test_the_contested_column_agrees_with_the_contested_filter(client, seeds):
    contested = {int(r["claim_id"]) for r in _records(_text(client.get("/api/exports/claims.csv?contested=yes")))}
    flagged = {int(r["claim_id"]) for r in _records(_text(client.get("/api/exports/claims.csv")))
               if r["contested"] == "yes"}
    assert contested and flagged == contested


def test_the_apis_own_columns(client, seeds):
    Entity.objects.filter(slug="iran").update(wikidata_id="Q794")
    records = _records(_text(client.get("/api/exports/claims.csv?entity=iran")))
    citation = Citation.objects.select_related("source").get(claim_id=records[0]["claim_id"], order=1)
    assert records[0]["claim_url"] == f"http://testserver/claims/{records[0]['claim_id']}/"
    assert records[0]["source_version"] == str(citation.source.version)
    for record in records:
        assert "Q794" in record["wikidata_ids"].split(";") and "iran" in record["entities"].split(";")


def test_a_claim_without_citations_still_gets_a_line(client, seeds):
    uncited = ClaimFactory(statement="=A claim nobody has cited yet", credibility=2)
    other = Claim.objects.filter(status="published", citations__isnull=False).first()
    Relation.objects.create(from_claim=uncited, to_claim=other, type="contradicts")
    records = [r for r in _records(_text(client.get("/api/exports/claims.csv"))) if r["claim_id"] == str(uncited.pk)]
    assert len(records) == 1
    record = records[0]
    assert record["statement"] == "'=A claim nobody has cited yet" and record["grade"] == "2"
    assert record["citation_number"] == record["source_slug"] == record["quote"] == record["source_version"] == ""
    assert record["contested"] == "yes" and record["contradicts"] == str(other.pk)
    assert record["claim_url"] == f"http://testserver/claims/{uncited.pk}/"


def test_the_api_csv_costs_a_fixed_number_of_queries_per_chunk(client, seeds, monkeypatch,
                                                               django_assert_num_queries):
    monkeypatch.setattr(export_selectors, "CHUNK", 50)
    published = Claim.objects.filter(status="published", merged_into__isnull=True).count()
    chunks = -(-published // 50)
    ContentType.objects.get_for_model(Claim)  # Django keeps content types in memory once read
    # generation, the anonymous limit's probe; per chunk: claims, citations, entities, tags,
    # relations (both ways); the sources once (the seeds, met in the first chunk); a last,
    # empty claims read only when the last chunk was full.
    with django_assert_num_queries(2 + 5 * chunks + 1 + (published % 50 == 0)):
        _text(client.get("/api/exports/claims.csv"))
