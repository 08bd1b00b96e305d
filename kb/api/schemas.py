"""The API's typed shapes; django-ninja turns them into the OpenAPI 3.1 schema.

Inputs forbid unknown fields (a typo is a 422, never silently ignored). Text ranges are W3C
Web Annotation selectors: a TextPositionSelector (start, end, counted in Unicode code points
over the source's text, as Python counts them) and a TextQuoteSelector (exact, prefix, suffix),
and `text[start:end] == exact` holds for every one the API returns.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

from ninja import P, Path, Schema
from pydantic import ConfigDict, Field

from kb.models import Annotation, Citation, Claim, Passage, Relation, Source
from kb.services.annotations import MAX_BODY_CHARS

Text = Annotated[str, Field(max_length=5000)]
ClaimKind = Literal[tuple(Claim.Kind.values)]  # type: ignore[misc]
ClaimStatus = Literal[tuple(Claim.Status.values)]  # type: ignore[misc]
Stance = Literal[tuple(Citation.Stance.values)]  # type: ignore[misc]
AnnotationKind = Literal[tuple(Annotation.Kind.values)]  # type: ignore[misc]
RelationType = Literal[tuple(Relation.Type.values)]  # type: ignore[misc]
Reliability = Literal["A", "B", "C", "D", "E", "F"]
Credibility = Annotated[int, Field(ge=1, le=6)]


MAX_ID = 2**53  # beyond any row id, and within every database's integers
Id = Path[int, P(ge=1, le=MAX_ID)]
Slug = Path[str, P(pattern=r"^[-a-zA-Z0-9_]+$", max_length=200)]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class FieldError(Schema):
    field: str | None = None
    code: str = Field(description="The code the forms and services use, e.g. quote_mismatch, rationale_required")
    message: str


class ProblemOut(Schema):
    """RFC 9457 problem details (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | None = None
    current_version: str | None = Field(None, description="On 409: the version saved meanwhile")


# Selectors


class TextPositionSelector(Schema):
    type: Literal["TextPositionSelector"] = "TextPositionSelector"
    start: int
    end: int


class TextQuoteSelector(Schema):
    type: Literal["TextQuoteSelector"] = "TextQuoteSelector"
    exact: str
    prefix: str = ""
    suffix: str = ""


Selector = Annotated[Union[TextPositionSelector, TextQuoteSelector], Field(discriminator="type")]


class SelectorIn(Input):
    """A range of the current version of a source's text, with the words found there."""

    start: Annotated[int, Field(ge=0, le=2_000_000_000)]
    end: Annotated[int, Field(ge=0, le=2_000_000_000)]
    exact: Annotated[str, Field(min_length=1, max_length=5000)]
    prefix: Annotated[str, Field(max_length=200)] = ""
    suffix: Annotated[str, Field(max_length=200)] = ""


# Shared parts


class EventDate(Schema):
    edtf: str | None = Field(None, description="Extended Date/Time Format (ISO 8601-2), e.g. 2006-12, 199X, 1990/1993")
    earliest: dt.date | None = None
    latest: dt.date | None = None
    precision: str | None = None
    wording: str | None = Field(None, description="The words the source used")


class SourceRef(Schema):
    slug: str
    title: str
    version: int
    reliability: Reliability
    url: str = Field(description="The reader page of this version")
    api_url: str
    text_url: str = Field(description="The exact text that selectors count over")


class ClaimRef(Schema):
    id: int
    url: str
    statement: str


class EntityRef(Schema):
    slug: str
    name: str
    kind: str
    wikidata_id: str | None = None


class CitationOut(Schema):
    id: int
    order: int
    source: SourceRef
    passage: str | None = Field(None, description="Anchor of the passage (p-12) the quote lies in")
    selector: list[Selector]
    attribution: str | None = None
    stance: Stance
    anchoring: Literal[tuple(Citation.Anchoring.values)]  # type: ignore[valid-type]
    reader_url: str


class RelationOut(Schema):
    id: int
    type: RelationType
    direction: Literal["out", "in"] = Field(description="out: this claim → other; in: other → this claim")
    claim: ClaimRef
    note: str


class ReferenceOut(Schema):
    url: str
    title: str
    publisher: str
    accessed: dt.date | None = None


class AnnotationTarget(Schema):
    type: Literal["claim", "citation", "selection"]
    claim: int | None = None
    citation: int | None = None
    source: SourceRef | None = None
    selector: list[Selector] | None = None


class AnnotationOut(Schema):
    id: int
    url: str
    api_url: str
    kind: AnnotationKind
    body: str = Field(description="Markdown")
    target: AnnotationTarget
    anchoring: str
    author: str
    created_at: dt.datetime
    updated_at: dt.datetime
    version: str = Field(description="Send back to edit (stale-edit protection)")
    hidden: bool
    references: list[ReferenceOut]


class SourceBrief(Schema):
    slug: str
    title: str
    reliability: Reliability


class ClaimOut(Schema):
    id: int
    url: str
    api_url: str
    statement: str
    kind: ClaimKind
    status: ClaimStatus
    date: EventDate
    credibility: int | None = None
    credibility_label: str
    grade: str = Field(description="Admiralty grade: best source reliability (A-F) and credibility (1-6), e.g. B2")
    contested: bool
    sources: list[SourceBrief]
    independent_sources: int
    copies: int = Field(description="Cited sources that only copy another cited source")
    tags: list[str]


class ClaimDetail(ClaimOut):
    rationale: str
    status_reason: str
    version: str = Field(description="Send back with an edit; a newer version answers 409")
    merged_into: int | None = None
    entities: list[EntityRef]
    citations: list[CitationOut]
    relations: list[RelationOut]
    annotations: list[AnnotationOut]
    history_url: str


class ClaimPage(Schema):
    items: list[ClaimOut]
    sort: str
    next: str | None = Field(None, description="URL of the next page, absent on the last")
    cursor: str | None = Field(None, description="Opaque cursor for the next page")
    count: int | None = Field(None, description="Only with count=true: how many claims match, counted up to 10,000")
    count_capped: bool | None = Field(None, description="Only with count=true: more claims match than `count` (the cap)")


class FieldChangeOut(Schema):
    name: str
    label: str
    old: str
    new: str


class HistoryOut(Schema):
    when: dt.datetime
    who: str
    what: str
    object_id: int
    action: str
    reason: str
    changes: list[FieldChangeOut]


class EntityOut(EntityRef):
    url: str
    api_url: str
    aliases: list[str]
    description: str
    claim_count: int = Field(description="Published claims naming it (kept by every write: exact, never counted on read)")


class EntityPage(Schema):
    items: list[EntityOut]
    next: str | None = None


class TagOut(Schema):
    slug: str
    name: str
    url: str
    claim_count: int = Field(description="Published claims carrying it (kept by every write)")


class TagPage(Schema):
    items: list[TagOut]
    next: str | None = None


class SourceOut(Schema):
    slug: str
    title: str
    version: int
    is_current: bool
    kind: Literal[tuple(Source.Kind.values)]  # type: ignore[valid-type]
    publisher: str
    author: str
    url: str
    published: EventDate
    retrieved: dt.date | None = None
    language: str
    reliability: Reliability
    reliability_label: str
    reliability_note: str
    format: str
    sha256: str
    text_length: int
    imported_at: dt.datetime
    reader_url: str
    api_url: str
    text_url: str


class SourcePage(Schema):
    items: list[SourceOut]
    next: str | None = None


class SectionOut(Schema):
    anchor: str
    title: str
    level: int
    parent: str | None = None
    start: int
    end: int
    heading_start: int
    heading_end: int


class PassageOut(Schema):
    anchor: str
    kind: Literal[tuple(Passage.Kind.values)]  # type: ignore[valid-type]
    section: str | None = None
    start: int
    end: int
    note: str


class SourceDetail(SourceOut):
    versions: list[int]
    sections: list[SectionOut]
    passages: list[PassageOut]


class SourceLinkOut(Schema):
    source: str
    target: str
    kind: str
    method: str
    shared_share: float = Field(description="Share of the source's words in passages shared with the target")
    evidence: list[dict]
    note: str


class SourceLinks(Schema):
    copies: list[SourceLinkOut] = Field(description="Sources this one repeats")
    copied_by: list[SourceLinkOut] = Field(description="Sources that repeat this one")


class TimelineBar(Schema):
    id: int
    url: str
    statement: str
    date: EventDate
    credibility: int | None = None
    contested: bool


class Timeline(Schema):
    items: list[TimelineBar]
    limit: int
    truncated: bool


class Me(Schema):
    username: str | None = None
    authenticated: bool
    roles: list[str]
    token_scope: str | None = None


# Writes


class ReferenceIn(Input):
    url: Annotated[str, Field(max_length=2000)]
    title: Annotated[str, Field(min_length=1, max_length=500)]
    publisher: Annotated[str, Field(max_length=300)] = ""
    accessed: dt.date | None = None


class AnnotationIn(Input):
    kind: AnnotationKind = "context"
    body: Annotated[str, Field(min_length=1, max_length=MAX_BODY_CHARS)]
    references: Annotated[list[ReferenceIn], Field(max_length=10)] = []


class AnnotationUpdateIn(Input):
    """Change an annotation's kind or body; `version` is the one you read (409 if someone saved since)."""

    version: Annotated[str, Field(min_length=1, max_length=64)]
    kind: AnnotationKind | None = None
    body: Annotated[str, Field(min_length=1, max_length=MAX_BODY_CHARS)] | None = None


class HideIn(Input):
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class SelectionAnnotationIn(AnnotationIn):
    selector: SelectorIn


class ClaimCreateIn(Input):
    selector: SelectorIn
    statement: Annotated[str, Field(min_length=1, max_length=5000)]
    kind: ClaimKind = "event"
    date_edtf: Annotated[str, Field(max_length=100)] = ""
    date_wording: Annotated[str, Field(max_length=300)] = ""
    credibility: Credibility | None = None
    rationale: Text = ""
    attribution: Annotated[str, Field(max_length=300)] = ""
    stance: Stance = "states"


class ClaimUpdateIn(Input):
    """Only the fields given change; `version` is the one you read (409 if someone saved since)."""

    version: Annotated[str, Field(min_length=1, max_length=64)]
    statement: Annotated[str, Field(min_length=1, max_length=5000)] | None = None
    kind: ClaimKind | None = None
    date_edtf: Annotated[str, Field(max_length=100)] | None = None
    date_wording: Annotated[str, Field(max_length=300)] | None = None
    credibility: Credibility | None = None
    rationale: Text | None = None
    note: Annotated[str, Field(max_length=500)] = ""


class RelationIn(Input):
    type: RelationType
    other: Annotated[int, Field(ge=1, le=2**62)]
    direction: Literal["out", "in"] = "out"
    note: Annotated[str, Field(max_length=2000)] = ""


class ReviewIn(Input):
    decision: Literal["accept", "merge", "reject"]
    reason: Annotated[str, Field(max_length=2000)] = ""
    into: Annotated[int, Field(ge=1, le=2**62)] | None = Field(None, description="For merge: the claim it restates")
    version: Annotated[str, Field(max_length=64)] | None = None


class ImportJob(Schema):
    id: str
    status: Literal["done", "failed"]
    url: str
    result: str = Field(description="created, version, unchanged")
    source: SourceRef | None = None
    detail: str


class Created(Schema):
    id: int
    url: str
    api_url: str

