"""Claims as JSON-LD (after the W3C Web Annotation model) and as CSV, deterministically."""
from __future__ import annotations

import csv
import io
import json

from django.db.models import Prefetch

from kb.models import Citation, Claim, Relation
from kb.text.spreadsheet import csv_cell

CONTEXT = ["http://www.w3.org/ns/anno.jsonld", {"schema": "https://schema.org/"}]
CSV_COLUMNS = [
    "claim_id", "claim_key", "statement", "kind", "status", "date_edtf", "date_earliest", "date_latest",
    "date_precision", "date_wording", "credibility", "grade", "rationale", "entities", "tags",
    "citation_number", "source_slug", "source_title", "source_sha256", "source_reliability",
    "start", "end", "page", "quote", "prefix", "suffix", "attribution", "stance",
]


def export_queryset(claims=None):
    claims = claims if claims is not None else Claim.objects.all()
    return claims.order_by("id").prefetch_related(
        "entities",
        "tagged_items__tag",
        Prefetch("citations", queryset=Citation.objects.with_page().select_related("source").order_by("order", "id")),
        Prefetch("relations_out", queryset=Relation.objects.select_related("to_claim").order_by("type", "to_claim_id")),
    )


def _tags(claim) -> list[str]:
    return sorted(item.tag.name for item in claim.tagged_items.all())


def grade(claim, citation=None) -> str:
    reliability = citation.source.reliability if citation else ""
    return f"{reliability}{claim.credibility or ''}"


def claim_jsonld(claim, base_url: str = "") -> dict:
    citations = list(claim.citations.all())
    best = min((c.source.reliability for c in citations), default="")
    return {
        "@context": CONTEXT,
        "id": f"{base_url}/claims/{claim.pk}/",
        "type": "Annotation",
        "motivation": "describing",
        "key": claim.key,
        "statement": claim.statement,
        "kind": claim.kind,
        "status": claim.status,
        "date": {
            "edtf": claim.date_edtf or None,
            "earliest": claim.date_earliest.isoformat() if claim.date_earliest else None,
            "latest": claim.date_latest.isoformat() if claim.date_latest else None,
            "precision": claim.date_precision or None,
            "wording": claim.date_wording or None,
        },
        "confidence": {
            "credibility": claim.credibility,
            "label": claim.credibility_label,
            "rationale": claim.rationale,
            "grade": f"{best}{claim.credibility or ''}",
        },
        "entities": sorted(e.slug for e in claim.entities.all()),
        "tags": _tags(claim),
        "relations": [
            {"type": r.type, "target": f"{base_url}/claims/{r.to_claim_id}/", "note": r.note}
            for r in claim.relations_out.all()
        ],
        "citations": [
            {
                "type": "SpecificResource",
                "source": {
                    "slug": c.source.slug, "title": c.source.title, "sha256": c.source.sha256,
                    "reliability": c.source.reliability, "version": c.source.version,
                },
                "selector": [
                    {"type": "TextPositionSelector", "start": c.start, "end": c.end},
                    {"type": "TextQuoteSelector", "exact": c.quote, "prefix": c.prefix, "suffix": c.suffix},
                ],
                "page": c.page,
                "attribution": c.attribution or None,
                "stance": c.stance,
                "anchoring": c.anchoring,
            }
            for c in citations
        ],
    }


def to_jsonld(claims=None, base_url: str = "") -> str:
    """A JSON list of claims, each a self-contained JSON-LD Web Annotation."""
    payload = [claim_jsonld(c, base_url) for c in export_queryset(claims)]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def to_csv(claims=None) -> str:
    """One row per citation; every cell spreadsheet-safe (kb.text.spreadsheet)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for claim in export_queryset(claims):
        entities = ";".join(sorted(e.slug for e in claim.entities.all()))
        tags = ";".join(_tags(claim))
        for number, c in enumerate(claim.citations.all(), start=1):
            writer.writerow(csv_cell(value) for value in [
                claim.pk, claim.key or "", claim.statement, claim.kind, claim.status, claim.date_edtf,
                claim.date_earliest or "", claim.date_latest or "", claim.date_precision, claim.date_wording,
                claim.credibility or "", grade(claim, c), claim.rationale, entities, tags, number,
                c.source.slug, c.source.title, c.source.sha256, c.source.reliability, c.start, c.end,
                c.page or "", c.quote, c.prefix, c.suffix, c.attribution, c.stance,
            ])
    return out.getvalue()
