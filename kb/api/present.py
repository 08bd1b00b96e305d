"""Model objects as the API's JSON shapes (kb/api/schemas.py), with absolute URLs."""
from __future__ import annotations

from django.urls import reverse

from kb.services.common import version_token


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def event_date(edtf, earliest, latest, precision="", wording="") -> dict:
    return {
        "edtf": edtf or None, "earliest": earliest, "latest": latest,
        "precision": precision or None, "wording": wording or None,
    }


def claim_date(claim) -> dict:
    return event_date(claim.date_edtf, claim.date_earliest, claim.date_latest, claim.date_precision, claim.date_wording)


def source_ref(request, source) -> dict:
    return {
        "slug": source.slug, "title": source.title, "version": source.version, "reliability": source.reliability,
        "url": absolute(request, reverse("source-version", args=[source.slug, source.version])),
        "api_url": absolute(request, f"/api/sources/{source.slug}/?version={source.version}"),
        "text_url": absolute(request, f"/api/sources/{source.slug}/text?version={source.version}"),
    }


def selectors(mark) -> list[dict]:
    return [
        {"type": "TextPositionSelector", "start": mark.start, "end": mark.end},
        {"type": "TextQuoteSelector", "exact": mark.quote, "prefix": mark.prefix, "suffix": mark.suffix},
    ]


def claim_ref(request, claim) -> dict:
    return {"id": claim.pk, "url": absolute(request, claim.get_absolute_url()), "statement": claim.statement}


def claim_row(request, row) -> dict:
    """One row of kb.selectors.claims.claim_rows."""
    claim = row.claim
    return {
        "id": claim.pk,
        "url": absolute(request, claim.get_absolute_url()),
        "api_url": absolute(request, f"/api/claims/{claim.pk}/"),
        "statement": claim.statement,
        "kind": claim.kind,
        "status": claim.status,
        "date": claim_date(claim),
        "credibility": claim.credibility,
        "credibility_label": claim.credibility_label,
        "grade": row.grade,
        "contested": bool(getattr(claim, "contested", False)),
        "sources": [{"slug": s.slug, "title": s.title, "reliability": s.reliability} for s in row.sources],
        "independent_sources": row.independent,
        "copies": row.copies,
        "tags": row.tags,
    }


def citation(request, c, claim_id: int) -> dict:
    reader = reverse("source-detail", args=[c.source.slug]) if c.source.is_current else c.source.get_absolute_url()
    return {
        "id": c.pk,
        "order": c.order,
        "source": source_ref(request, c.source),
        "passage": c.passage.anchor if c.passage_id else None,
        "selector": selectors(c),
        "attribution": c.attribution or None,
        "stance": c.stance,
        "anchoring": c.anchoring,
        "reader_url": absolute(request, f"{reader}?claim={claim_id}#{c.passage.anchor if c.passage_id else ''}"),
    }


def annotation(request, a) -> dict:
    if a.claim_id:
        target = {"type": "claim", "claim": a.claim_id}
    elif a.citation_id:
        target = {"type": "citation", "citation": a.citation_id, "claim": a.citation.claim_id}
    else:
        target = {"type": "selection", "source": source_ref(request, a.source), "selector": selectors(a)}
    return {
        "id": a.pk,
        "url": absolute(request, a.get_absolute_url()),
        "api_url": absolute(request, f"/api/annotations/{a.pk}/"),
        "kind": a.kind,
        "body": a.body,
        "target": target,
        "anchoring": a.anchoring,
        "author": a.author.get_username(),
        "created_at": a.created_at,
        "updated_at": a.updated_at,
        "version": version_token(a),
        "hidden": a.is_hidden,
        "references": [
            {"url": r.url, "title": r.title, "publisher": r.publisher, "accessed": r.accessed}
            for r in a.references.all()
        ],
    }


def relation(request, r, claim_id: int) -> dict:
    out = r.from_claim_id == claim_id
    return {
        "id": r.pk, "type": r.type, "direction": "out" if out else "in",
        "claim": claim_ref(request, r.to_claim if out else r.from_claim), "note": r.note,
    }


def entity(request, e) -> dict:
    return {
        "slug": e.slug, "name": e.name, "kind": e.kind, "wikidata_id": e.wikidata_id or None,
        "url": absolute(request, e.get_absolute_url()), "api_url": absolute(request, f"/api/entities/{e.slug}/"),
        "aliases": list(e.aliases or []), "description": e.description, "claim_count": e.claim_count,
    }


def entity_ref(e) -> dict:
    return {"slug": e.slug, "name": e.name, "kind": e.kind, "wikidata_id": e.wikidata_id or None}


def source(request, s) -> dict:
    return {
        "slug": s.slug, "title": s.title, "version": s.version, "is_current": s.is_current, "kind": s.kind,
        "publisher": s.publisher, "author": s.author, "url": s.url,
        "published": event_date(s.published_edtf, s.published_earliest, s.published_latest),
        "retrieved": s.retrieved, "language": s.language, "reliability": s.reliability,
        "reliability_label": s.reliability_label, "reliability_note": s.reliability_note, "format": s.format,
        "sha256": s.sha256, "text_length": s.text_length, "imported_at": s.imported_at,
        "reader_url": absolute(request, s.get_absolute_url()),
        "api_url": absolute(request, f"/api/sources/{s.slug}/?version={s.version}"),
        "text_url": absolute(request, f"/api/sources/{s.slug}/text?version={s.version}"),
    }


def source_link(link) -> dict:
    return {
        "source": link.source.slug, "target": link.target.slug, "kind": link.kind, "method": link.method,
        "shared_share": link.shared_share, "evidence": [e for e in (link.evidence or []) if isinstance(e, dict)],
        "note": link.note,
    }
