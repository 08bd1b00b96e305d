"""The claim list's downloads stream (kb/exports.py): rows are written as the selection is
read, anonymous downloads stop at a documented limit, unchanged exports answer 304."""
import csv
import io
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kb import exports
from kb.models import Citation, Claim
from kb.selectors import exports as export_selectors
from kb.services.generation import kb_generation_bump
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _published():
    return Claim.objects.filter(status="published", merged_into__isnull=True)


def _cited_published():
    return _published().filter(citations__isnull=False).distinct()


def _body(response) -> str:
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def _last_record(text: str) -> list[str]:
    return list(csv.reader(io.StringIO(text)))[-1]


def _citation_reads(queries) -> int:
    return sum('FROM "kb_citation"' in q["sql"] for q in queries)


def test_the_first_bytes_go_out_before_the_last_row_is_read(client, seeds, monkeypatch):
    monkeypatch.setattr(export_selectors, "CHUNK", 2)
    monkeypatch.setattr(exports, "BUFFER_CHARS", 1)
    claims = _cited_published().count()
    assert claims > 10
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/claims/export.csv")
        parts = iter(response.streaming_content)
        header, first_row = next(parts), next(parts)
    assert header.startswith(b"claim_id,claim_key,statement") and first_row
    assert _citation_reads(queries) == 1  # one chunk of two claims read so far
    with CaptureQueriesContext(connection) as rest:
        remainder = b"".join(parts)
    assert _citation_reads(rest) == -(-_published().count() // 2) - 1
    rows = list(csv.DictReader(io.StringIO((header + first_row + remainder).decode())))
    assert {int(r["claim_id"]) for r in rows} == set(_cited_published().values_list("id", flat=True))
    assert len(rows) == Citation.objects.filter(claim__in=_published()).count()


def test_an_export_costs_a_fixed_number_of_queries_per_chunk(client, seeds, monkeypatch,
                                                             django_assert_num_queries):
    monkeypatch.setattr(export_selectors, "CHUNK", 50)
    published = _published().count()
    chunks = -(-published // 50)
    ContentType.objects.get_for_model(Claim)  # Django keeps content types in memory once read
    # generation, the anonymous limit's probe; per chunk: claims (the keyset walk reads their
    # fields), citations, entities, tags, relations (both ways: the relation and contested
    # columns); the sources once per export (the seeds, met in the first chunk); a last, empty
    # claims read only when the last chunk was full.
    with django_assert_num_queries(2 + 5 * chunks + 1 + (published % 50 == 0)):
        _body(client.get("/claims/export.csv"))


def test_anonymous_exports_stop_at_the_limit_and_say_so(client, seeds, settings):
    settings.CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS = 3
    response = client.get("/claims/export.csv")
    assert response["X-Claimbook-Export-Limit"] == "3"
    assert "Sign in" in response["X-Claimbook-Export-Truncated"]
    assert 'filename="claimbook-claims-first-3.csv"' in response["Content-Disposition"]
    records = list(csv.reader(io.StringIO(_body(response))))
    assert records[-1][0].startswith("# Only the first 3 claims of this selection") and "API" in records[-1][0]
    rows = [dict(zip(records[0], record)) for record in records[1:-1]]
    # The first three as the list shows them (by date, then id), not the first three ids.
    first_three = list(_published().order_by("date_sort", "id").values_list("id", flat=True)[:3])
    assert {int(r["claim_id"]) for r in rows} <= set(first_three)
    items = json.loads(_body(client.get("/claims/export.jsonld")))
    assert [int(item["id"].rstrip("/").rsplit("/", 1)[1]) for item in items] == first_three


def test_the_limit_cuts_only_a_selection_larger_than_it(client, seeds, settings):
    settings.CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS = _published().count()
    response = client.get("/claims/export.csv")
    assert "X-Claimbook-Export-Truncated" not in response
    assert not _last_record(_body(response))[0].startswith("# ") and "first" not in response["Content-Disposition"]
    settings.CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS = _published().count() - 1
    assert "X-Claimbook-Export-Truncated" in client.get("/claims/export.csv")


@pytest.mark.parametrize("role", ["researcher", "editor"])
def test_signed_in_users_export_everything(seeds, settings, role):
    settings.CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS = 3
    signed_in = Client()
    signed_in.force_login(make_user(role))
    response = signed_in.get("/claims/export.csv")
    assert "X-Claimbook-Export-Limit" not in response and "X-Claimbook-Export-Truncated" not in response
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert {int(r["claim_id"]) for r in rows} == set(_cited_published().values_list("id", flat=True))


def test_the_api_exports_keep_the_same_limit(client, seeds, settings):
    settings.CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS = 2
    assert _last_record(_body(client.get("/api/exports/claims.csv")))[0].startswith("# Only the first 2 claims")
    document = json.loads(_body(client.get("/api/exports/claimreviews.jsonld")))
    assert len(document["@graph"]) <= 2 and document["notice"].startswith("Only the first 2 claims")


def test_an_unchanged_export_answers_304(client, seeds):
    first = client.get("/claims/export.csv")
    _body(first)
    assert first["ETag"].startswith('W/"') and first["Last-Modified"]
    again = client.get("/claims/export.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    other = client.get("/claims/export.csv?tag=tunnels", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other.status_code == 200
    kb_generation_bump()
    assert client.get("/claims/export.csv", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_an_editor_and_a_visitor_never_share_an_export_etag(client, seeds):
    editor = Client()
    editor.force_login(make_user("editor"))
    assert editor.get("/claims/export.csv")["ETag"] != client.get("/claims/export.csv")["ETag"]


def _rows_by_claim(claims):
    return {row.claim.pk: ([c.pk for c in row.citations], [e.slug for e in row.entities], row.tags,
                           [(r.to_claim_id, r.type) for r in row.relations])
            for row in export_selectors.export_rows(claims, relations=True, chunk=7)}


def test_a_chunk_reads_only_its_own_claims_rows_dense_or_sparse(seeds):
    # A chunk of nearly consecutive ids is read as a range, a sparse one as a list of ids: either
    # way each claim gets exactly its own citations, entities, tags and relations.
    ids = sorted(Claim.objects.values_list("id", flat=True))
    for chosen in (ids[::3], [i for i in ids if i % 5], ids):
        rows = _rows_by_claim(Claim.objects.filter(id__in=chosen))
        assert list(rows) == chosen
        for claim in Claim.objects.filter(id__in=chosen).prefetch_related("citations", "entities", "relations_out"):
            citations, entities, tags, relations = rows[claim.pk]
            assert citations == [c.pk for c in sorted(claim.citations.all(), key=lambda c: (c.order, c.id))]
            assert sorted(entities) == sorted(e.slug for e in claim.entities.all())
            assert tags == sorted(claim.tags.names())
            assert sorted(relations) == sorted((r.to_claim_id, r.type) for r in claim.relations_out.all())
