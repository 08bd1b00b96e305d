"""Load the curated data in fixtures/: entities, claims written by quote, not-claim marks, source links.

Everything is validated before anything is written; any problem refuses the whole load
with messages that name the file, the claim and the quote. Loading the same files twice
changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from kb.text.dates import parse_event_date
from kb.text.ranges import context
from kb.models import Citation, Claim, Entity, NonClaim, Passage, Relation, Source, SourceLink
from kb.selectors.overlaps import as_doc
from kb.services.common import recorded
from kb.services.counts import contested_recount, link_counts_kept, fields_to_save
from kb.services.generation import kb_changed
from kb.text.shingles import compare_texts

CLAIM_FIELDS = {"key", "statement", "kind", "date", "credibility", "rationale", "entities", "tags",
                "citations", "relations", "status"}
CITATION_FIELDS = {"source", "quote", "occurrence", "attribution", "stance"}
RELATION_FIELDS = {"type", "target", "note"}
ENTITY_FIELDS = {"slug", "name", "kind", "aliases", "description"}
NOT_CLAIM_FIELDS = {"source", "quote", "occurrence", "reason"}
NOT_CLAIM_REASONS = {"heading", "table-of-contents", "rhetoric", "call-to-action", "junk", "meta"}


class CurationError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Anchor:
    source: Source
    start: int
    end: int
    passage: Passage


@dataclass
class LoadReport:
    files: int = 0
    entities: int = 0
    claims: int = 0
    citations: int = 0
    relations: int = 0
    not_claims: int = 0
    source_links: int = 0
    relations_removed: int = 0
    relation_ends: set = field(default_factory=set)  # claims whose relations changed (not printed)
    changed: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})

    def summary(self) -> str:
        return (
            f"{self.files} files: {self.entities} entities, {self.claims} claims, {self.citations} citations, "
            f"{self.relations} relations, {self.not_claims} not-claim marks, {self.source_links} source links; "
            f"claims {self.changed['created']} created, {self.changed['updated']} updated, "
            f"{self.changed['unchanged']} unchanged; {self.relations_removed} relations removed"
        )


def fixture_files(root: Path) -> list[Path]:
    """The curated data under `root`: its top-level YAML files and everything under claims/
    (other folders, such as the extraction gold corpus in gold/, are not knowledge-base data)."""
    top = [p for p in root.glob("*.y*ml") if p.is_file()]
    claims = [p for p in (root / "claims").rglob("*.y*ml") if p.is_file()]
    return sorted(top + claims)


def read_documents(paths: list[Path]) -> list[tuple[Path, dict]]:
    documents = []
    problems = []
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            problems.append(f"{path}: cannot read: {exc}")
            continue
        if not isinstance(data, dict):
            problems.append(f"{path}: the top level must be a mapping")
            continue
        documents.append((path, data))
    if problems:
        raise CurationError(problems)
    return documents


class QuoteResolver:
    """Find quotes in the current version of each source, with the passage that holds them."""

    def __init__(self):
        self._sources: dict[str, Source | None] = {}
        self._passages: dict[int, list[Passage]] = {}

    def source(self, slug: str) -> Source | None:
        if slug not in self._sources:
            self._sources[slug] = Source.objects.current().filter(slug=slug).first()
        return self._sources[slug]

    def passage_at(self, source: Source, start: int, end: int) -> Passage | None:
        if source.pk not in self._passages:
            self._passages[source.pk] = list(source.passages.order_by("start"))
        for passage in self._passages[source.pk]:
            if passage.start <= start and end <= passage.end:
                return passage
        return None

    def resolve(self, slug: str, quote: str, occurrence: int | None) -> Anchor | str:
        """Return an Anchor, or a message saying why the quote cannot be placed."""
        source = self.source(slug)
        if source is None:
            return f"source “{slug}” is not imported"
        if not quote or not quote.strip():
            return "the quote is empty"
        positions = []
        at = source.text.find(quote)
        while at != -1:
            positions.append(at)
            at = source.text.find(quote, at + 1)
        if not positions:
            return f"quote not found in “{slug}”"
        if occurrence is None and len(positions) > 1:
            return f"quote is ambiguous: it occurs {len(positions)} times in “{slug}”; give `occurrence`"
        index = (occurrence or 1) - 1
        if not 0 <= index < len(positions):
            return f"occurrence {occurrence} asked, but the quote occurs {len(positions)} times in “{slug}”"
        start = positions[index]
        end = start + len(quote)
        passage = self.passage_at(source, start, end)
        if passage is None:
            return f"quote crosses a passage boundary in “{slug}”"
        return Anchor(source, start, end, passage)


def _check_fields(item: dict, allowed: set, where: str, problems: list[str]) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        problems.append(f"{where}: unknown fields {', '.join(unknown)}")


def _short(quote: str) -> str:
    return quote if len(quote) <= 70 else quote[:67] + "…"


def _validate_choice(value, choices, where, name, problems):
    if value not in choices:
        problems.append(f"{where}: {name} “{value}” is not one of {', '.join(sorted(map(str, choices)))}")


def plan(documents: list[tuple[Path, dict]]) -> dict:
    """Validate every document and resolve every quote; raise CurationError listing all problems."""
    problems: list[str] = []
    resolver = QuoteResolver()
    entities: dict[str, dict] = {}
    claims: dict[str, dict] = {}
    not_claims: list[dict] = []
    links: list[dict] = []
    for path, data in documents:
        _check_fields(data, {"entities", "claims", "not_claims", "source_links"}, str(path), problems)
        for item in data.get("entities") or []:
            where = f"{path}: entity {item.get('slug', '?')}"
            _check_fields(item, ENTITY_FIELDS, where, problems)
            slug = item.get("slug")
            if not slug or not item.get("name"):
                problems.append(f"{where}: slug and name are required")
                continue
            _validate_choice(item.get("kind"), Entity.Kind.values, where, "kind", problems)
            if slug in entities:
                known = entities[slug]
                if known["kind"] != item.get("kind"):
                    problems.append(f"{where}: defined twice with different kinds")
                known["aliases"] = sorted(set(known["aliases"]) | set(item.get("aliases") or []))
                continue
            entities[slug] = {
                "name": item["name"], "kind": item.get("kind"),
                "aliases": sorted(set(item.get("aliases") or [])),
                "description": item.get("description") or "",
            }
        for item in data.get("claims") or []:
            key = item.get("key")
            where = f"{path}: claim {key or '?'}"
            _check_fields(item, CLAIM_FIELDS, where, problems)
            if not key:
                problems.append(f"{where}: key is required")
                continue
            if key in claims:
                problems.append(f"{where}: key used twice (also in {claims[key]['file']})")
                continue
            claims[key] = _plan_claim(item, where, path, resolver, problems)
        for item in data.get("not_claims") or []:
            where = f"{path}: not-claim “{_short(item.get('quote') or '')}”"
            _check_fields(item, NOT_CLAIM_FIELDS, where, problems)
            _validate_choice(item.get("reason"), NOT_CLAIM_REASONS, where, "reason", problems)
            anchor = resolver.resolve(item.get("source", ""), item.get("quote", ""), item.get("occurrence"))
            if isinstance(anchor, str):
                problems.append(f"{where}: {anchor}")
                continue
            not_claims.append({"anchor": anchor, "quote": item["quote"], "reason": item["reason"]})
        for item in data.get("source_links") or []:
            where = f"{path}: source link {item.get('source')} → {item.get('target')}"
            source, target = resolver.source(item.get("source", "")), resolver.source(item.get("target", ""))
            if source is None or target is None:
                problems.append(f"{where}: both sources must be imported")
                continue
            links.append({"source": source, "target": target, "note": item.get("note", "")})
    for key, claim in claims.items():
        for slug in claim["entities"]:
            if slug not in entities:
                problems.append(f"{claim['file']}: claim {key}: entity “{slug}” is not defined")
        for relation in claim["relations"]:
            if relation["target"] not in claims:
                problems.append(f"{claim['file']}: claim {key}: relation target “{relation['target']}” is not a claim key")
            elif relation["target"] == key:
                problems.append(f"{claim['file']}: claim {key}: relation to itself")
    if problems:
        raise CurationError(problems)
    return {"entities": entities, "claims": claims, "not_claims": not_claims, "links": links}


def _plan_claim(item, where, path, resolver, problems) -> dict:
    statement = (item.get("statement") or "").strip()
    if not statement:
        problems.append(f"{where}: statement is required")
    _validate_choice(item.get("kind"), Claim.Kind.values, where, "kind", problems)
    status = item.get("status", Claim.Status.PUBLISHED)
    _validate_choice(status, Claim.Status.values, where, "status", problems)
    credibility = item.get("credibility")
    if credibility not in range(1, 7):
        problems.append(f"{where}: credibility must be 1–6, not {credibility!r}")
    date = item.get("date") or None
    parsed = None
    if date is not None:
        if not isinstance(date, dict) or not date.get("edtf"):
            problems.append(f"{where}: date needs an edtf value")
        else:
            try:
                parsed = parse_event_date(str(date["edtf"]))
            except ValidationError as exc:
                problems.append(f"{where}: {' '.join(exc.messages)}")
    citations = []
    for number, cite in enumerate(item.get("citations") or [], start=1):
        cite_where = f"{where}: citation {number} “{_short(cite.get('quote') or '')}”"
        _check_fields(cite, CITATION_FIELDS, cite_where, problems)
        _validate_choice(cite.get("stance", "states"), Citation.Stance.values, cite_where, "stance", problems)
        anchor = resolver.resolve(cite.get("source", ""), cite.get("quote", ""), cite.get("occurrence"))
        if isinstance(anchor, str):
            problems.append(f"{cite_where}: {anchor}")
            continue
        citations.append({"anchor": anchor, "quote": cite["quote"], "order": number,
                          "attribution": cite.get("attribution") or "", "stance": cite.get("stance", "states")})
    if not item.get("citations"):
        problems.append(f"{where}: at least one citation is required")
    relations = []
    for rel in item.get("relations") or []:
        _check_fields(rel, RELATION_FIELDS, f"{where}: relation", problems)
        _validate_choice(rel.get("type"), Relation.Type.values, f"{where}: relation", "type", problems)
        relations.append({"type": rel.get("type"), "target": rel.get("target"), "note": rel.get("note") or ""})
    return {
        "file": str(path), "statement": statement, "kind": item.get("kind"), "status": status,
        "credibility": credibility, "rationale": (item.get("rationale") or "").strip(),
        "date": parsed, "wording": (date or {}).get("wording", "") if isinstance(date, dict) else "",
        "entities": list(dict.fromkeys(item.get("entities") or [])),
        "tags": sorted({str(t).strip().lower() for t in item.get("tags") or [] if str(t).strip()}),
        "citations": citations, "relations": relations,
    }


@transaction.atomic
def curation_load(paths: list[Path], *, dry_run: bool = False) -> LoadReport:
    documents = read_documents(paths)
    planned = plan(documents)
    report = LoadReport(files=len(documents))
    report.entities = len(planned["entities"])
    report.claims = len(planned["claims"])
    report.citations = sum(len(c["citations"]) for c in planned["claims"].values())
    report.relations = sum(len(c["relations"]) for c in planned["claims"].values())
    report.not_claims = len(planned["not_claims"])
    report.source_links = len(planned["links"])
    if dry_run:
        return report
    kb_changed()
    entity_ids = _load_entities(planned["entities"])
    claim_ids = {}
    for key, spec in planned["claims"].items():
        claim_ids[key] = _load_claim(key, spec, entity_ids, report)
    report.relations_removed = _load_relations(planned["claims"], claim_ids, report.relation_ends)
    # Relations added or dropped: the flags of the loaded claims and every claim they pointed at.
    contested_recount(set(claim_ids.values()) | report.relation_ends)
    _load_not_claims(planned["not_claims"])
    _load_links(planned["links"])
    return report


def _load_entities(entities: dict) -> dict[str, int]:
    existing = {e.slug: e for e in Entity.objects.filter(slug__in=entities)}
    for slug, spec in entities.items():
        entity = existing.get(slug)
        if entity is None:
            existing[slug] = Entity.objects.create(slug=slug, **spec)
            continue
        if any(getattr(entity, name) != value for name, value in spec.items()):
            for name, value in spec.items():
                setattr(entity, name, value)
            entity.full_clean()
            entity.save(update_fields=fields_to_save(entity))  # its claim count is kept by the claims' writes
    return {slug: entity.pk for slug, entity in existing.items()}


def _load_claim(key: str, spec: dict, entity_ids: dict, report: LoadReport) -> int:
    date = spec["date"]
    values = {
        "statement": spec["statement"], "kind": spec["kind"], "status": spec["status"],
        "origin": Claim.Origin.CURATED, "credibility": spec["credibility"], "rationale": spec["rationale"],
        "date_edtf": date.edtf if date else "", "date_earliest": date.earliest if date else None,
        "date_latest": date.latest if date else None, "date_precision": date.precision if date else "",
        "date_wording": spec["wording"] or "",
    }
    claim = Claim.objects.select_for_update().filter(key=key).first()
    created_now = claim is None
    # Its status, entities and tags move the entities' and tags' claim counts (kb.services.counts).
    with link_counts_kept(None if created_now else claim.pk) as counted:
        changed = created_now
        if created_now:
            claim = Claim(key=key, **values)
            claim.full_clean()
            claim.save()
            report.changed["created"] += 1
        elif any(getattr(claim, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(claim, name, value)
            claim.full_clean()
            claim.save(update_fields=fields_to_save(claim))
            changed = True
        counted.add(claim.pk)
        wanted_entities = {entity_ids[slug] for slug in spec["entities"]}
        if set(claim.entities.values_list("pk", flat=True)) != wanted_entities:
            claim.entities.set(wanted_entities)
            changed = True
        if sorted(claim.tags.names()) != spec["tags"]:
            claim.tags.set(spec["tags"], clear=True)
            changed = True
    changed |= _load_citations(claim, spec["citations"])
    if not created_now:
        report.changed["updated" if changed else "unchanged"] += 1
    return claim.pk


def _load_citations(claim: Claim, citations: list[dict]) -> bool:
    """Make the claim's citations equal the planned ones; touch nothing that already matches."""
    existing = {(c.source_id, c.start, c.end): c for c in claim.citations.all()}
    wanted = {}
    for cite in citations:
        anchor = cite["anchor"]
        wanted[(anchor.source.pk, anchor.start, anchor.end)] = (cite, anchor)
    changed = False
    for key, citation in existing.items():
        if key not in wanted:
            citation.delete()
            changed = True
    for key, (cite, anchor) in wanted.items():
        prefix, suffix = context(anchor.source.text, anchor.start, anchor.end)
        values = {
            "passage": anchor.passage, "quote": cite["quote"], "prefix": prefix, "suffix": suffix,
            "attribution": cite["attribution"], "stance": cite["stance"], "order": cite["order"],
            "anchoring": Citation.Anchoring.EXACT, "anchoring_score": None,
        }
        citation = existing.get(key)
        if citation is None:
            Citation.objects.create(claim=claim, source=anchor.source, start=anchor.start, end=anchor.end, **values)
            changed = True
        elif any(getattr(citation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(citation, name, value)
            citation.save()
            changed = True
    return changed


RELATION_DROPPED = "no longer in the curated data"


def _load_relations(claims: dict, claim_ids: dict, ends_changed: set) -> int:
    """Make the relations out of the loaded claims to other curated claims equal the planned
    ones, so a database loaded from older files converges: a relation the files no longer hold
    is removed (its history keeps it, with the reason), unless an editor made it in the app.
    Returns how many were removed."""
    wanted = {}
    for key, spec in claims.items():
        for rel in spec["relations"]:
            wanted[(claim_ids[key], claim_ids[rel["target"]], rel["type"])] = rel["note"]
    existing = {
        (r.from_claim_id, r.to_claim_id, r.type): r
        for r in Relation.objects.filter(from_claim_id__in=list(claim_ids.values()), to_claim__origin=Claim.Origin.CURATED)
    }
    dropped = [relation for ends, relation in existing.items() if ends not in wanted]
    made_by_editors = set(
        Relation.history.filter(id__in=[r.pk for r in dropped], history_type="+", history_user__isnull=False)
        .values_list("id", flat=True)
    )
    removed = 0
    for relation in dropped:
        if relation.pk not in made_by_editors:
            ends_changed.update((relation.from_claim_id, relation.to_claim_id))
            recorded(relation, None, RELATION_DROPPED).delete()
            removed += 1
    for ends, note in wanted.items():
        relation = existing.get(ends)
        if relation is None:
            Relation.objects.create(from_claim_id=ends[0], to_claim_id=ends[1], type=ends[2], note=note)
        elif relation.note != note:
            relation.note = note
            relation.save(update_fields=["note"])
    return removed


def _load_not_claims(items: list[dict]) -> None:
    wanted = {(i["anchor"].source.pk, i["anchor"].start, i["anchor"].end): i for i in items}
    existing = {(n.source_id, n.start, n.end): n for n in NonClaim.objects.filter(source__is_current=True)}
    for key, mark in existing.items():
        if key not in wanted:
            mark.delete()
    for key, item in wanted.items():
        mark = existing.get(key)
        if mark is None:
            NonClaim.objects.create(source=item["anchor"].source, start=item["anchor"].start,
                                    end=item["anchor"].end, quote=item["quote"], reason=item["reason"])
        elif mark.reason != item["reason"]:
            mark.reason = item["reason"]
            mark.save(update_fields=["reason"])


def _load_links(links: list[dict]) -> None:
    for item in links:
        source, target = item["source"], item["target"]
        link = SourceLink.objects.filter(source=source, target=target, kind=SourceLink.Kind.DERIVED_FROM).first()
        if link is not None and link.method == SourceLink.Method.CURATED and link.note == item["note"]:
            continue
        overlap = compare_texts(as_doc(source), as_doc(target))
        SourceLink.objects.update_or_create(
            source=source, target=target, kind=SourceLink.Kind.DERIVED_FROM,
            defaults={"method": SourceLink.Method.CURATED, "shared_share": overlap.share,
                      "evidence": overlap.evidence, "note": item["note"]},
        )
