"""Everything the claim page shows, in a fixed number of queries, all run here: the templates
run none (tests/views/test_query_counts.py)."""
from __future__ import annotations

import datetime
import json

from django.db.models import Q
from django.urls import reverse

from kb.models import Annotation, Citation, Claim, Relation, Section
from kb.permissions import editing_rights
from kb.selectors import claims as browse
from kb.selectors.annotations import claim_annotations
from kb.selectors.history import claim_history
from kb.selectors.overlaps import derived_pairs_among


def section_paths(citations) -> dict[int, list[Section]]:
    """For each citation, the chain of sections from the top down to its passage's section."""
    source_ids = {c.source_id for c in citations}
    sections = {s.pk: s for s in Section.objects.filter(source_id__in=source_ids)}
    paths = {}
    for citation in citations:
        chain = []
        section = sections.get(citation.passage.section_id) if citation.passage else None
        while section is not None:
            chain.append(section)
            section = sections.get(section.parent_id)
        paths[citation.pk] = list(reversed(chain))
    return paths


def claim_jsonld(request, claim, citations, entities, tags) -> str:
    """schema.org Claim markup; escaped so that no quote can close the script element."""
    data = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "@id": request.build_absolute_uri(claim.get_absolute_url()),
        "url": request.build_absolute_uri(claim.get_absolute_url()),
        "text": claim.statement,
        "dateModified": claim.updated_at.isoformat(),
        "about": [{"@type": "Thing", "name": e.name} for e in entities],
        "keywords": sorted(t.name for t in tags),
        "appearance": [
            {
                "@type": "Quotation",
                "text": c.quote,
                "isPartOf": {
                    "@type": "CreativeWork",
                    "name": c.source.title,
                    "url": request.build_absolute_uri(c.source.get_absolute_url()),
                    **({"publisher": c.source.publisher} if c.source.publisher else {}),
                },
                **({"creator": {"@type": "Thing", "name": c.attribution}} if c.attribution else {}),
            }
            for c in citations
        ],
    }
    if claim.date_edtf:
        data["temporalCoverage"] = claim.date_edtf
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def claim_page_context(request, claim: Claim) -> dict:
    citations = list(
        Citation.objects.filter(claim=claim).with_page()
        .select_related("source", "passage")
        .defer("source__text", "source__original")
        .order_by("order", "id")
    )
    # Both directions in one query; the editors' "remove a relation" list is the same rows.
    relations = list(
        Relation.objects.filter(Q(from_claim=claim) | Q(to_claim=claim)).select_related("from_claim", "to_claim")
    )
    relations_out = [r for r in relations if r.from_claim_id == claim.pk]
    relations_in = [r for r in relations if r.to_claim_id == claim.pk]
    entities = list(claim.entities.all())
    tags = list(claim.tags.all())
    can = editing_rights(request.user)
    sources = list({c.source_id: c.source for c in citations}.values())
    pairs = derived_pairs_among(source.pk for source in sources)  # this claim's sources' links only
    independent = browse.independent_sources(sources, pairs)
    copies = [
        (copy, original)
        for copy in sources
        for original in sources
        if (copy.pk, original.pk) in pairs
    ]
    best = min((s.reliability for s in sources), default="")
    hedged = [c for c in citations if c.stance == Citation.Stance.HEDGED]
    disputed = [c for c in citations if c.stance == Citation.Stance.DISPUTES]
    contradictions = [r for r in relations_out + relations_in if r.type == Relation.Type.CONTRADICTS]
    paths = section_paths(citations)
    for citation in citations:
        citation.section_path = paths[citation.pk]
        reader = (reverse('source-detail', args=[citation.source.slug]) if citation.source.is_current
                  else citation.source.get_absolute_url())
        citation.reader_url = f"{reader}?claim={claim.pk}#{citation.passage.anchor if citation.passage else ''}"
        citation.page_url = f"{reader}?claim={claim.pk}#page-{citation.page}" if citation.page else ""
    permalink = request.build_absolute_uri(claim.get_absolute_url())
    first = citations[0].source if citations else None
    reference = (
        f"Claimbook, “{claim.statement}”, claim {claim.pk}"
        + (f", citing {first.title}" if first else "")
        + f". {permalink} (accessed {datetime.date.today().isoformat()})."
    )
    return {
        "claim": claim,
        "citations": citations,
        "relations_out": relations_out,
        "relations_in": relations_in,
        "sources": sources,
        "independent": independent,
        "copies": copies,
        "grade": f"{best}{claim.credibility or ''}",
        "best_reliability": best,
        "hedged": hedged,
        "disputed": disputed,
        "contradictions": contradictions,
        "permalink": permalink,
        "reference": reference,
        "jsonld": claim_jsonld(request, claim, citations, entities, tags),
        "entities": entities,
        "tags": tags,
        "relations": relations,
        "can": can,
        "annotations": claim_annotations(claim, include_hidden=can["hide"]),
        "annotation_kinds": Annotation.Kind.choices,
        "history": claim_history(claim, include_hidden=can["hide"]),
    }


EDIT_QUOTES = 5


def claim_quotes(claim: Claim) -> list[Citation]:
    """The words a claim cites, for its edit form: the first EDIT_QUOTES citations (one query),
    each with `reader_url` to the quote in its source."""
    citations = list(
        Citation.objects.filter(claim=claim).select_related("source", "passage")
        .defer("source__text", "source__original").order_by("order", "id")[:EDIT_QUOTES]
    )
    for citation in citations:
        anchor = citation.passage.anchor if citation.passage else ""
        citation.reader_url = f"{citation.source.get_absolute_url()}?claim={claim.pk}#{anchor}"
    return citations
