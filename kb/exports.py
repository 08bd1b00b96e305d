"""Exports of a claim selection, streamed: the claim list's CSV and JSON-LD downloads, the
`export_claims` command, and the API's standard formats (kb/api/exports.py) all go through
`export_response` (or, for a file, the same row writers), which reads the selection a chunk
at a time (kb.selectors.exports) and writes each row as it is read. Memory and the time to
the first byte do not grow with the selection.

Anonymous visitors get at most CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS claims (10,000 by default),
said in the X-Claimbook-Export-Limit header, in the file's name and, for CSV, in a last line;
signed-in users and API tokens get the whole selection. Every export carries an ETag and
Last-Modified from the knowledge base's generation, and answers 304 when nothing changed.
"""
from __future__ import annotations

import csv
import itertools
import json
from functools import lru_cache
from json.encoder import c_make_encoder, encode_basestring

from django.conf import settings
from django.http import StreamingHttpResponse

from kb.conditional import generation_validators, not_modified, set_validators
from kb.heartbeat import kept_alive
from kb.models import Relation
from kb.permissions import sees_unreviewed
from kb.selectors.exports import BY_ID, SEARCH_KEYS_AHEAD, ExportRow, export_rows, more_than
from kb.selectors.generation import kb_generation
from kb.text.spreadsheet import csv_cell, csv_cells

CONTEXT = ["http://www.w3.org/ns/anno.jsonld", {"schema": "https://schema.org/"}]
# The relation columns: the ids of the claims related to a claim, one column per relation type
# and direction. A symmetric type ("A contradicts B" is "B contradicts A") has one column that
# holds both ways; a directed one has two ("updates" and "updated_by").
SYMMETRIC = (Relation.Type.CONTRADICTS, Relation.Type.CORROBORATES, Relation.Type.CONSISTENT_WITH)
DIRECTED = {Relation.Type.UPDATES: "updated_by", Relation.Type.REFINES: "refined_by",
            Relation.Type.SUPPORTS: "supported_by", Relation.Type.DISTORTS: "distorted_by"}
RELATION_COLUMNS = [*(str(t) for t in SYMMETRIC), *(name for t, back in DIRECTED.items() for name in (str(t), back))]
CSV_COLUMNS = [
    "claim_id", "claim_key", "statement", "kind", "status", "date_edtf", "date_earliest", "date_latest",
    "date_precision", "date_wording", "credibility", "grade", "rationale", "entities", "tags",
    "citation_number", "source_slug", "source_title", "source_sha256", "source_reliability",
    "start", "end", "page", "quote", "prefix", "suffix", "attribution", "stance",
    # Claim-level again, after the citation (appended, so a reader of the older columns by
    # position still finds them): whether it is contested, and the claims related to it.
    "contested", *RELATION_COLUMNS,
]
BOM = "\ufeff"  # a UTF-8 byte-order mark: Excel reads the file as UTF-8 only with one
BUFFER_CHARS = 32 * 1024  # written in pieces about this large (one write per row would cost a system call each)


def grade(claim, citation=None) -> str:
    reliability = citation.source.reliability if citation else ""
    return f"{reliability}{claim.credibility or ''}"


def claim_jsonld(row: ExportRow, base_url: str = "") -> dict:
    claim, citations = row.claim, row.citations
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
        "entities": sorted(e.slug for e in row.entities),
        "tags": sorted(row.tags),
        "relations": [
            {"type": r.type, "target": f"{base_url}/claims/{r.to_claim_id}/", "note": r.note}
            for r in row.relations
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


class _Line:
    """csv.writer's file: hands each written line back instead of keeping it."""

    def write(self, value):
        return value


def csv_writer():
    return csv.writer(_Line(), lineterminator="\n")


_NO_RELATIONS = [""] * len(RELATION_COLUMNS)


def relation_cells(row: ExportRow) -> list[str]:
    """The RELATION_COLUMNS of a row read with `relations=True`: claim ids joined by ";"."""
    if not row.relations and not row.related_from:  # most claims: nothing to sort and join
        return _NO_RELATIONS
    related = {column: [] for column in RELATION_COLUMNS}
    for relation in row.relations:
        related[relation.type].append(relation.to_claim_id)
    for relation in row.related_from:
        column = relation.type if relation.type in SYMMETRIC else DIRECTED.get(relation.type)
        if column:
            related[column].append(relation.from_claim_id)
    return [";".join(str(pk) for pk in sorted(set(related[column]))) for column in RELATION_COLUMNS]


# The API's file (/api/exports/claims.csv) has the same columns, then these of its own: the
# claim's permalink, its entities' Wikidata ids (in the order of `entities`) and the cited
# source's version (the one whose text `start` and `end` count over).
API_CSV_COLUMNS = [*CSV_COLUMNS, "claim_url", "wikidata_ids", "source_version"]
_NO_CITATION = [""] * (CSV_COLUMNS.index("contested") - CSV_COLUMNS.index("citation_number"))


def csv_lines(rows, *, notice: str = "", bom: bool = False, head: str = "", api_base: str | None = None):
    """The claim list's CSV: a header, then one line per citation, every cell spreadsheet-safe
    (kb.text.spreadsheet); `notice` (why the file stops short) as a last line; `bom` starts it
    with a byte-order mark, `head` (a comment line) before the header. The rows must be read
    with `relations=True` (the relation and contested columns).

    With `api_base` (the site's origin) it is the API's file: API_CSV_COLUMNS, and a claim
    without citations still gets a line (its citation's cells empty)."""
    writer = csv_writer()
    columns = CSV_COLUMNS if api_base is None else API_CSV_COLUMNS
    yield (BOM if bom else "") + (writer.writerow([csv_cell(head)]) if head else "") + writer.writerow(columns)
    for row in rows:
        claim = row.claim
        slugs = sorted(e.slug for e in row.entities)
        tail = ["yes" if row.contested else "no", *relation_cells(row)]
        if api_base is not None:
            wikidata = {e.slug: e.wikidata_id for e in row.entities}
            tail += [f"{api_base}/claims/{claim.pk}/", ";".join(wikidata[s] for s in slugs if wikidata[s])]
        shared = [
            claim.pk, claim.key or "", claim.statement, claim.kind, claim.status, claim.date_edtf,
            claim.date_earliest or "", claim.date_latest or "", claim.date_precision, claim.date_wording,
            claim.credibility or "",
        ]
        entities, tags = ";".join(slugs), ";".join(sorted(row.tags))
        if not row.citations and api_base is not None:
            yield writer.writerow(csv_cells([*shared, grade(claim), claim.rationale, entities, tags, *_NO_CITATION,
                                             *tail, ""]))
        for number, c in enumerate(row.citations, start=1):
            cells = [
                *shared, grade(claim, c), claim.rationale, entities, tags, number,
                c.source.slug, c.source.title, c.source.sha256, c.source.reliability, c.start, c.end,
                c.page or "", c.quote, c.prefix, c.suffix, c.attribution, c.stance, *tail,
            ]
            if api_base is not None:
                cells.append(c.source.version)
            yield writer.writerow(csv_cells(cells))
    if notice:
        yield writer.writerow([csv_cell("# " + notice)])


_SCALARS = frozenset({str, int, float, bool, type(None)})


@lru_cache(maxsize=32)
def _flat_encoder(inner: str):
    """The C encoder (json.dumps's own when there is no indent), writing a flat container's
    items joined by ",\n" and `inner`: exactly what json.dumps(indent=2) puts between them.

    Made once per indent and called directly: JSONEncoder.encode makes a new C encoder on every
    call, which cost more than encoding a claim's small containers. No circular-reference
    marks: a container of scalars cannot hold itself. Floats as JSONEncoder writes them
    (NaN, Infinity)."""
    if c_make_encoder is None:  # a Python without the C accelerator: the encoder's own way
        return lambda value, _level: [json.JSONEncoder(ensure_ascii=False, separators=(",\n" + inner, ": "))
                                      .encode(value)]
    return c_make_encoder(None, _not_serializable, encode_basestring, None, ": ", ",\n" + inner,
                          False, False, True)


def _not_serializable(value):
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _flat(value, inner: str = "") -> str:
    return "".join(_flat_encoder(inner)(value, 0))


def _write_indented(value, indent: str, out: list) -> None:
    """Append `value` to `out` exactly as `json.dumps(value, ensure_ascii=False, indent=2)` writes
    it, with `indent` before every line after the first. json.dumps with an indent runs the
    pure-Python encoder (only the unindented one is in C), which was most of a JSON-LD export's
    time; this writes the same text, each container holding only scalars through the C
    encoder. Anything but str, int, float, None, bool, dict and list is left to json.dumps
    itself (and a dict with a key that is not a string raises TypeError: see indented_json)."""
    kind = value.__class__
    if kind is str:
        out.append(encode_basestring(value))
        return
    if value is None:
        out.append("null")
        return
    if kind is int:
        out.append(int.__repr__(value))
        return
    if kind in _SCALARS:  # a bool or a float
        out.append(_flat(value))
        return
    if kind is dict:
        items, opening, closing = value.values(), "{", "}"
    elif kind is list:
        items, opening, closing = value, "[", "]"
    else:
        out.append(json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent))
        return
    if not value:
        out.append(opening + closing)
        return
    inner = indent + "  "
    if all(item.__class__ in _SCALARS for item in items):
        out.append(f"{opening}\n{inner}{_flat(value, inner)[1:-1]}\n{indent}{closing}")
        return
    # A string, a whole number or None among the items is written here rather than by a call
    # apiece (most of a claim's items: a call each was a third of the writer's time).
    separator = opening + "\n" + inner
    if kind is dict:
        for key, item in value.items():
            item_kind = item.__class__
            if item_kind is str:
                out.append(f"{separator}{encode_basestring(key)}: {encode_basestring(item)}")
            elif item is None:
                out.append(f"{separator}{encode_basestring(key)}: null")
            elif item_kind is int:
                out.append(f"{separator}{encode_basestring(key)}: {int.__repr__(item)}")
            else:
                out.append(f"{separator}{encode_basestring(key)}: ")
                _write_indented(item, inner, out)
            separator = ",\n" + inner
    else:
        for item in value:
            item_kind = item.__class__
            if item_kind is str:
                out.append(separator + encode_basestring(item))
            elif item is None:
                out.append(separator + "null")
            elif item_kind is int:
                out.append(separator + int.__repr__(item))
            else:
                out.append(separator)
                _write_indented(item, inner, out)
            separator = ",\n" + inner
    out.append("\n" + indent + closing)


def indented_json(value, indent: str = "") -> str:
    """`json.dumps(value, ensure_ascii=False, indent=2)` with `indent` after every line break, faster."""
    out: list[str] = []
    try:
        _write_indented(value, indent, out)
    except TypeError:  # a key that is not a string (encode_basestring refuses it): json.dumps's own way
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + indent)
    return "".join(out)


def jsonld_parts(rows, base_url: str = ""):
    """A JSON list of claims, each a self-contained JSON-LD Web Annotation, item by item."""
    yield "["
    first = True
    for row in rows:
        yield ("\n  " if first else ",\n  ") + indented_json(claim_jsonld(row, base_url), "  ")
        first = False
    yield "\n]\n"


def to_jsonld(claims, base_url: str = "") -> str:
    return "".join(jsonld_parts(export_rows(claims, relations=True, timestamps=False), base_url))


def to_csv(claims) -> str:
    return "".join(csv_lines(export_rows(claims, relations=True, timestamps=False)))


# ---- over HTTP -------------------------------------------------------------------------------


def export_limit(user) -> int | None:
    """The most claims `user` may export at once: None (all) for anyone signed in or with a token."""
    return None if user.is_authenticated else settings.CLAIMBOOK_ANONYMOUS_EXPORT_CLAIMS


def limit_notice(limit: int) -> str:
    return (f"Only the first {limit:,} claims of this selection: visitors' exports stop there. "
            "Sign in, or use the API with a personal token, for the whole selection (or narrow the filters).")


def _audience(user) -> str:
    return "editor" if sees_unreviewed(user) else ("reader" if user.is_authenticated else "anonymous")


def buffered(parts, size: int | None = None):
    """Join small pieces into writes of about `size` characters; the first goes out as soon as it is full."""
    size = size or BUFFER_CHARS
    pending, length = [], 0
    for part in parts:
        pending.append(part)
        length += len(part)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


def export_response(request, claims, write, *, user, content_type: str, filename: str,
                    relations: bool = False, timestamps: bool = True, headers: dict | None = None,
                    page: tuple[int, int] | None = None, order: tuple[str, ...] = BY_ID, search: bool = False):
    """Stream `write(rows, notice)` (an iterator of strings) over the selection `claims`.

    Answers 304 to a request whose ETag still holds; bounds an anonymous export (the rows
    stop at the limit, and `notice` says so); names the file, and says the limit in headers.
    `page` (after this claim id, this many claims) streams one page of a paged export instead:
    a page is bounded for everyone, so no limit applies. `order` is the claim list's sort
    (kb.selectors.claims.sort_order): the rows come as the page lists them, the first `limit`
    of them for a visitor. `timestamps=False` for formats that show no claim or citation
    timestamps (kb.selectors.exports.export_rows). `search`: the selection is a search's matches
    (kb.selectors.claims.filter_claims(..., whole=True)), read SEARCH_KEYS_AHEAD at a time."""
    generation, changed_at = kb_generation()
    etag, last_modified = generation_validators(generation, changed_at, "export", request.get_full_path(),
                                                _audience(user))
    answer = not_modified(request, etag, last_modified)
    if answer is not None:
        return answer
    limit = export_limit(user) if page is None else None
    truncated = limit is not None and more_than(claims, limit)
    notice = limit_notice(limit) if truncated else ""
    ahead = SEARCH_KEYS_AHEAD if search else None
    if page is not None:
        rows = export_rows(claims, after=page[0], limit=page[1], relations=relations, timestamps=timestamps,
                           keys_ahead=ahead)
    else:
        rows = export_rows(claims, limit=limit if truncated else None, relations=relations, order=order,
                           timestamps=timestamps, keys_ahead=ahead)
    # Reported as it goes: a long download must not be taken for a stuck worker (kb/heartbeat.py).
    parts = kept_alive(buffered(write(rows, notice)))
    # The first piece is made before the response starts: a selection the database refuses is
    # an error page, not a download cut off after its headers.
    first = next(parts, "")
    response = StreamingHttpResponse(itertools.chain([first], parts), content_type=content_type)
    if truncated:
        stem, dot, extension = filename.rpartition(".")
        filename = f"{stem}-first-{limit}{dot}{extension}"
        response["X-Claimbook-Export-Truncated"] = notice
    if limit is not None:
        response["X-Claimbook-Export-Limit"] = str(limit)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    for header, value in (headers or {}).items():
        response[header] = value
    return set_validators(response, etag, last_modified)
