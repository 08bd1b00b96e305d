"""JSON-LD on permalinks and the standard exports: valid JSON-LD (expanded by pyld with the
contexts served locally), Web Annotations that conform to the W3C data model, and selectors
that point at exactly the quoted words."""
import csv
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from pyld import jsonld

from kb.models import Citation, Claim, Entity, Source
from kb.services import annotations as annotation_services
from kb.selectors.selection import selection_find
from tests.factories import UNIQUE_PHRASE, make_candidate

pytestmark = pytest.mark.django_db
HERE = Path(__file__).parent
CONTEXTS = {
    "http://www.w3.org/ns/anno.jsonld": HERE / "contexts" / "anno.jsonld",
    "https://schema.org": HERE / "contexts" / "schemaorg.jsonld",
    "https://schema.org/": HERE / "contexts" / "schemaorg.jsonld",
}
WEB_ANNOTATION = jsonschema.Draft202012Validator(
    json.loads((HERE / "web_annotation.schema.json").read_text()), format_checker=jsonschema.FormatChecker()
)


def local_loader(url, options=None):
    if url not in CONTEXTS:
        raise AssertionError(f"JSON-LD processing tried to load {url}")
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(CONTEXTS[url].read_text())}


def expand(document):
    expanded = jsonld.expand(document, {"documentLoader": local_loader})
    assert expanded
    return expanded


def source_text(iri: str) -> str:
    slug, version = re.search(r"/sources/([^/]+)/v(\d+)/$", iri).groups()
    return Source.objects.get(slug=slug, version=int(version)).text


def check_target(target):
    """A SpecificResource whose two selectors point at the same words of the source's text."""
    assert target["type"] == "SpecificResource" and target["source"].startswith("http://testserver/")
    position, quote = target["selector"]
    assert (position["type"], quote["type"]) == ("TextPositionSelector", "TextQuoteSelector")
    text = source_text(target["source"])
    assert text[position["start"]:position["end"]] == quote["exact"]
    assert text[: position["start"]].endswith(quote["prefix"]) and text[position["end"]:].startswith(quote["suffix"])


def streamed(response) -> str:
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def graded_claim():
    return Claim.objects.published().filter(credibility__isnull=False, citations__isnull=False).order_by("id").first()


def test_claim_permalink_answers_json_ld_when_asked(client, seeds):
    claim = graded_claim()
    response = client.get(claim.get_absolute_url(), HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"].startswith("application/ld+json") and "Accept" in response["Vary"]
    document = response.json()
    claim_node, review = document["@graph"]
    assert claim_node["@type"] == "Claim" and claim_node["text"] == claim.statement
    assert [a["text"] for a in claim_node["appearance"]] == list(claim.citations.order_by("order", "id").values_list("quote", flat=True))
    rating = review["reviewRating"]
    assert review["@type"] == "ClaimReview" and review["itemReviewed"] == {"@id": claim_node["@id"]}
    assert rating["ratingValue"] == claim.credibility and rating["ratingExplanation"] == claim.rationale
    assert re.match(r"^[A-F][1-6] \(", rating["alternateName"])
    expanded = expand(document)
    types = {t for node in expanded for t in node.get("@type", [])}
    assert {"http://schema.org/Claim", "http://schema.org/ClaimReview"} <= types
    assert "text/html" in client.get(claim.get_absolute_url())["Content-Type"]
    assert "text/html" in client.get(claim.get_absolute_url(), HTTP_ACCEPT="text/html,*/*;q=0.8")["Content-Type"]


def test_claim_page_links_its_alternates(client, seeds):
    claim = graded_claim()
    html = client.get(claim.get_absolute_url()).content.decode()
    assert f'<link rel="alternate" type="application/ld+json" href="http://testserver/claims/{claim.pk}/"' in html
    for citation in claim.citations.all():
        assert f'href="/api/citations/{citation.pk}/"' in html


def test_candidates_have_no_json_ld_for_readers(client, seeds):
    start = seeds["article"].text.index(UNIQUE_PHRASE)
    candidate = make_candidate(start=start, end=start + len(UNIQUE_PHRASE), statement="Unreviewed.")
    assert client.get(candidate.get_absolute_url(), HTTP_ACCEPT="application/ld+json").status_code == 404
    citation = candidate.citations.get()
    assert client.get(f"/api/citations/{citation.pk}/").status_code == 404


def test_a_citation_is_a_web_annotation(client, seeds):
    citation = graded_claim().citations.first()
    response = client.get(f"/api/citations/{citation.pk}/")
    assert response["Content-Type"].startswith("application/ld+json")
    annotation = response.json()
    WEB_ANNOTATION.validate(annotation)
    check_target(annotation["target"])
    assert annotation["body"][0]["value"] == citation.claim.statement
    expand(annotation)


@pytest.mark.parametrize("target", ["claim", "citation", "selection"])
def test_an_editors_annotation_is_a_web_annotation(client, users, seeds, target):
    claim = graded_claim()
    where = {
        "claim": {"claim": claim},
        "citation": {"citation": claim.citations.first()},
        "selection": {"selection": selection_find(source=seeds["article"], quote=UNIQUE_PHRASE)},
    }[target]
    from kb.services.annotations import ReferenceFields

    note = annotation_services.annotation_create(
        by=users["editor"], kind="dispute", body="**Not** what the report says.",
        references=[ReferenceFields("https://example.org/report", "The report")], **where,
    )
    response = client.get(f"/api/annotations/{note.pk}/", HTTP_ACCEPT="application/ld+json")
    document = response.json()
    WEB_ANNOTATION.validate(document)
    assert document["motivation"] == "assessing" and document["body"][0]["format"] == "text/markdown"
    if target != "claim":
        check_target(document["target"])
    expanded = expand(document)[0]
    assert expanded["@type"] == ["http://www.w3.org/ns/oa#Annotation"]
    assert client.get(f"/api/annotations/{note.pk}/").json()["id"] == note.pk  # plain JSON by default


def test_web_annotation_export_is_a_conforming_collection_of_every_citation(client, seeds):
    document = json.loads(streamed(client.get("/api/exports/annotations.jsonld?entity=iran")))
    WEB_ANNOTATION.validate(document)
    assert document["type"] == "AnnotationCollection" and "entity=iran" in document["label"]
    items = document["first"]["items"]
    expected = Citation.objects.filter(
        claim__status="published", claim__merged_into__isnull=True, claim__entities__slug="iran"
    ).count()
    assert len(items) == expected > 0
    for item in items:
        check_target(item["target"])
        assert item["body"][0]["type"] == "TextualBody" and item["body"][0]["value"]
    expanded = expand(document)
    assert expanded[0]["@type"] == ["http://www.w3.org/ns/activitystreams#OrderedCollection"]


def test_the_old_export_fails_the_schema_and_the_new_one_passes(client, seeds):
    """The issue's finding, pinned: the earlier export has no `target`."""
    old = json.loads(streamed(client.get("/claims/export.jsonld")))
    assert old and not any(WEB_ANNOTATION.is_valid({**claim}) for claim in old)
    new = json.loads(streamed(client.get("/api/exports/annotations.jsonld")))
    assert WEB_ANNOTATION.is_valid(new) and len(new["first"]["items"]) >= len(old)


def test_claim_review_export_has_only_graded_claims(client, seeds):
    document = json.loads(streamed(client.get("/api/exports/claimreviews.jsonld?tag=funding")))
    reviews = document["@graph"]
    graded = Claim.objects.published().filter(tags__slug="funding", credibility__isnull=False).distinct()
    assert len(reviews) == graded.count() > 0 and "tag=funding" in document["description"]
    for review in reviews:
        assert review["@type"] == "ClaimReview" and 1 <= review["reviewRating"]["ratingValue"] <= 6
        assert review["itemReviewed"]["@type"] == "Claim"
    expand(document)


def test_csv_export_with_and_without_a_byte_order_mark(client, seeds):
    plain = streamed(client.get("/api/exports/claims.csv?source=iranian-support-for-hamas"))
    with_bom = streamed(client.get("/api/exports/claims.csv?source=iranian-support-for-hamas&bom=true"))
    assert not plain.startswith("\ufeff") and with_bom == "\ufeff" + plain
    lines = list(csv.reader(io.StringIO(plain)))
    assert lines[0] == ["# Claimbook claims; selection: source=iranian-support-for-hamas"]
    rows = [dict(zip(lines[1], line)) for line in lines[2:]]
    claims = Claim.objects.published().filter(citations__source__slug="iranian-support-for-hamas").distinct()
    assert {int(r["claim_id"]) for r in rows} == set(claims.values_list("id", flat=True))
    assert len(rows) == Citation.objects.filter(claim__in=claims).count()


def test_csv_cells_cannot_run_as_formulas(client, users, seeds):
    from tests.factories import make_claim

    make_claim(users["editor"], statement="=HYPERLINK(\"http://evil.example\")")
    text = streamed(client.get("/api/exports/claims.csv?q=HYPERLINK"))
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text


def test_quickstatements_for_claims_about_wikidata_items(client, seeds):
    Entity.objects.filter(slug="iran").update(wikidata_id="Q794")
    text = streamed(client.get("/api/exports/claims.qs"))
    lines = text.splitlines()
    assert lines[0].startswith("/* Claimbook claims about Wikidata items; selection:")
    about_iran = Claim.objects.published().filter(entities__slug="iran").distinct()
    statements = [line.split("\t") for line in lines[1:]]
    assert len(statements) == about_iran.count() > 0
    for parts in statements:
        assert parts[:2] == ["Q794", "P973"] and re.fullmatch(r'"http://testserver/claims/\d+/"', parts[2])


def test_exports_hide_candidates_from_readers(client, seeds):
    start = seeds["article"].text.index(UNIQUE_PHRASE)
    make_candidate(start=start, end=start + len(UNIQUE_PHRASE), statement="Unreviewed candidate in an export?")
    for url in ("/api/exports/claims.csv?status=all", "/api/exports/annotations.jsonld?status=all",
                "/api/exports/claimreviews.jsonld?status=all"):
        assert "Unreviewed candidate" not in streamed(client.get(url))
    assert client.get("/api/exports/claims.csv?status=candidate").json()["code"] == "invalid_choice"


def test_exports_refuse_a_bad_filter_before_streaming(client, seeds):
    response = client.get("/api/exports/claims.csv?date_to=2020-13")
    assert response.status_code == 422 and response.json()["code"] == "invalid_date"



def test_the_web_annotation_collection_pages_follow_the_protocol(client, seeds, monkeypatch):
    """Web Annotation Protocol §5: the collection embeds its first page, every page links the
    next one, and the pages together hold every citation once, each page a valid document."""
    from kb.api import exports as api_exports

    monkeypatch.setattr(api_exports, "PAGE_CLAIMS", 40)
    collection = json.loads(streamed(client.get("/api/exports/annotations.jsonld?entity=iran")))
    WEB_ANNOTATION.validate(collection)
    page, pages, seen = collection["first"], 1, []
    assert page["partOf"] == collection["id"] == "http://testserver/api/exports/annotations.jsonld?entity=iran"
    while True:
        assert page["type"] == "AnnotationPage" and page["startIndex"] == len(seen)
        seen += [item["id"] for item in page["items"]]
        for item in page["items"]:
            check_target(item["target"])
        if "next" not in page:
            break
        assert page["next"].startswith(collection["id"] + "&page=")
        page = json.loads(streamed(client.get(page["next"])))
        WEB_ANNOTATION.validate(page)
        assert page["@context"] == collection["@context"] and page["partOf"] == collection["id"]
        expand(page)
        pages += 1
    expected = Citation.objects.filter(
        claim__status="published", claim__merged_into__isnull=True, claim__entities__slug="iran"
    ).order_by("claim_id", "order", "id")
    assert seen == [f"http://testserver/api/citations/{pk}/" for pk in expected.values_list("id", flat=True)]
    claims = expected.values("claim_id").distinct().count()
    assert pages == -(-claims // 40) > 1


def test_a_tampered_or_foreign_page_cursor_is_refused(client, seeds, monkeypatch):
    from kb.api import exports as api_exports

    monkeypatch.setattr(api_exports, "PAGE_CLAIMS", 40)
    collection = json.loads(streamed(client.get("/api/exports/annotations.jsonld?entity=iran")))
    cursor = collection["first"]["next"].split("page=", 1)[1]
    for url in (f"/api/exports/annotations.jsonld?entity=iran&page={cursor}x",
                f"/api/exports/annotations.jsonld?entity=hamas&page={cursor}",
                "/api/exports/annotations.jsonld?page=nonsense"):
        response = client.get(url)
        assert response.status_code == 400 and response.json()["code"] == "invalid_cursor"
