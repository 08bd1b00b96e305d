"""Standard formats, as pure functions of one row (no queries, no request): schema.org Claim
and ClaimReview, W3C Web Annotation, Wikidata QuickStatements (the CSV is the claim list's
own, kb.exports.csv_lines).

Every IRI is absolute (`base` is the site's origin, e.g. https://claimbook.example).
Positions are Unicode code points over the source's stored text, which is what the W3C
TextPositionSelector counts, so `text[start:end] == exact` for every pair of selectors.
"""
from __future__ import annotations

from kb.models import Annotation, Credibility, Reliability

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
SCHEMA_CONTEXT = "https://schema.org"
# The Web Annotation context, plus schema.org for what it has no term for (a reference's title).
WEB_ANNOTATION_CONTEXT = [ANNO_CONTEXT, {"schema": "https://schema.org/"}]
MOTIVATIONS = {
    Annotation.Kind.CONTEXT: "commenting",
    Annotation.Kind.CORRECTION: "editing",
    Annotation.Kind.DISPUTE: "assessing",
    Annotation.Kind.SUPPORT: "assessing",
    Annotation.Kind.QUESTION: "questioning",
}


def claim_iri(base: str, claim_id: int) -> str:
    return f"{base}/claims/{claim_id}/"


def source_iri(base: str, source) -> str:
    """The version of the source whose text the positions count over."""
    return f"{base}/sources/{source.slug}/v{source.version}/"


def citation_iri(base: str, citation_id: int) -> str:
    return f"{base}/api/citations/{citation_id}/"


def annotation_iri(base: str, annotation_id: int) -> str:
    return f"{base}/api/annotations/{annotation_id}/"


# The page of a PDF, as its fragment identifier ("page=12", RFC 3778) says it.
PDF_FRAGMENT = "http://tools.ietf.org/rfc/rfc3778"


def text_target(base: str, source, mark) -> dict:
    selectors = [
        {"type": "TextPositionSelector", "start": mark.start, "end": mark.end},
        {"type": "TextQuoteSelector", "exact": mark.quote, "prefix": mark.prefix, "suffix": mark.suffix},
    ]
    page = getattr(mark, "page", None)  # citations read with Citation.objects.with_page()
    if page:
        selectors.append({"type": "FragmentSelector", "conformsTo": PDF_FRAGMENT, "value": f"page={page}"})
    return {"type": "SpecificResource", "source": source_iri(base, source), "selector": selectors}


def grade(claim, sources) -> str:
    best = min((s.reliability for s in sources), default="")
    return f"{best}{claim.credibility or ''}"


def grade_words(claim, sources) -> str:
    best = min((s.reliability for s in sources), default="")
    parts = []
    if best:
        parts.append(f"best source {Reliability(best).label}")
    if claim.credibility:
        parts.append(Credibility(claim.credibility).label)
    return "; ".join(parts)


# schema.org


def _thing(entity) -> dict:
    thing = {"@type": "Thing", "name": entity.name}
    if entity.wikidata_id:
        thing["sameAs"] = f"http://www.wikidata.org/entity/{entity.wikidata_id}"
    return thing


def schema_claim(base: str, claim, citations, entities, tags) -> dict:
    """schema.org Claim with each citation as an appearance (a Quotation in its source)."""
    data = {
        "@type": "Claim",
        "@id": claim_iri(base, claim.pk),
        "url": claim_iri(base, claim.pk),
        "text": claim.statement,
        "dateModified": claim.updated_at.isoformat(),
        "about": [_thing(e) for e in entities],
        "keywords": list(tags),
        "appearance": [
            {
                "@type": "Quotation",
                "@id": citation_iri(base, c.pk),
                "text": c.quote,
                "isPartOf": {
                    "@type": "CreativeWork",
                    "@id": source_iri(base, c.source),
                    "name": c.source.title,
                    **({"publisher": {"@type": "Organization", "name": c.source.publisher}} if c.source.publisher else {}),
                    **({"sameAs": c.source.url} if c.source.url else {}),
                },
                **({"spokenByCharacter": {"@type": "Thing", "name": c.attribution}} if c.attribution else {}),
            }
            for c in citations
        ],
    }
    if claim.date_edtf:
        data["temporalCoverage"] = claim.date_edtf
    return data


def claim_review(base: str, claim, citations) -> dict | None:
    """schema.org ClaimReview carrying the Admiralty grade; None for an ungraded claim.

    The rating is the credibility, 1 (confirmed) best and 6 (cannot be judged) worst; its
    alternateName is the full grade (B2) with the best cited source's reliability."""
    if not claim.credibility:
        return None
    sources = list({c.source_id: c.source for c in citations}.values())
    return {
        "@type": "ClaimReview",
        "@id": claim_iri(base, claim.pk) + "#review",
        "url": claim_iri(base, claim.pk),
        "claimReviewed": claim.statement,
        "itemReviewed": {"@id": claim_iri(base, claim.pk)},
        "dateModified": claim.updated_at.isoformat(),
        "author": {"@type": "Organization", "name": "Claimbook", "url": f"{base}/"},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": claim.credibility,
            "bestRating": 1,
            "worstRating": 6,
            "alternateName": f"{grade(claim, sources)} ({grade_words(claim, sources)})",
            "ratingExplanation": claim.rationale,
        },
    }


def claim_jsonld(base: str, claim, citations, entities, tags) -> dict:
    """The claim permalink as JSON-LD: the Claim and, when graded, its ClaimReview."""
    graph = [schema_claim(base, claim, citations, entities, tags)]
    review = claim_review(base, claim, citations)
    if review:
        graph.append(review)
    return {"@context": SCHEMA_CONTEXT, "@graph": graph}


# W3C Web Annotation


def citation_annotation(base: str, claim, citation) -> dict:
    """A citation as a Web Annotation: the claim's statement describes the quoted words."""
    return {
        "id": citation_iri(base, citation.pk),
        "type": "Annotation",
        "motivation": "describing",
        "created": citation.created_at.isoformat(),
        "body": [
            {"type": "TextualBody", "value": claim.statement, "format": "text/plain", "purpose": "describing"},
            {"id": claim_iri(base, claim.pk), "type": "Text", "format": "text/html", "purpose": "identifying"},
        ],
        "target": text_target(base, citation.source, citation),
    }


def editor_annotation(base: str, annotation) -> dict:
    """An editor's annotation: its Markdown body and references; its target is the claim, the
    cited words, or the selected words."""
    if annotation.claim_id:
        target = {"type": "SpecificResource", "source": claim_iri(base, annotation.claim_id)}
    elif annotation.citation_id:
        target = {**text_target(base, annotation.citation.source, annotation.citation),
                  "scope": citation_iri(base, annotation.citation_id)}
    else:
        target = text_target(base, annotation.source, annotation)
    motivation = MOTIVATIONS.get(annotation.kind, "commenting")
    body = [{"type": "TextualBody", "value": annotation.body, "format": "text/markdown", "purpose": motivation}]
    body += [
        {"id": r.url, "type": "Text", "purpose": "linking", "schema:name": r.title}
        for r in annotation.references.all()
    ]
    return {
        "id": annotation_iri(base, annotation.pk),
        "type": "Annotation",
        "motivation": motivation,
        "created": annotation.created_at.isoformat(),
        "modified": annotation.updated_at.isoformat(),
        "creator": {"type": "Person", "nickname": annotation.author.get_username()},
        "body": body,
        "target": target,
    }


def standalone(annotation: dict) -> dict:
    return {"@context": WEB_ANNOTATION_CONTEXT, **annotation}


# Wikidata QuickStatements (V1, tab separated)


def _qs_string(value: str) -> str:
    return '"' + value.replace('"', "'").replace("\t", " ").replace("\n", " ") + '"'


def quickstatements(base: str, claim, citations, entities) -> list[str]:
    """For each entity of the claim with a Wikidata id: a "described at URL" (P973) statement
    pointing at the claim's permalink, referenced (S854) to a cited source's URL when it has
    one. Claimbook does not know which Wikidata property a statement would be, so it offers
    the claims about an item to Wikidata editors rather than asserting them."""
    reference = next((c.source.url for c in citations if c.source.url), "")
    lines = []
    for entity in entities:
        if not entity.wikidata_id:
            continue
        line = f"{entity.wikidata_id}\tP973\t{_qs_string(claim_iri(base, claim.pk))}"
        if reference:
            line += f"\tS854\t{_qs_string(reference)}"
        lines.append(line)
    return lines
