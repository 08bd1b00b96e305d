"""A claim's history: every recorded change to it, its citations, relations and annotations."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from kb.models import Annotation, Citation, Claim, Relation

# Fields whose change is bookkeeping, not content, and is left out of the shown history.
_NOT_SHOWN = {"id", "created_at", "updated_at", "date_earliest", "date_latest", "date_precision", "anchoring_score"}
_WORDS = re.compile(r"(\s+)")


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    segments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class HistoryEntry:
    when: object
    who: str
    what: str
    object_id: int
    action: str
    reason: str
    changes: list[FieldChange]

    @property
    def system(self) -> bool:
        """Made by no one signed in: the bootstrap, the curated data, an import."""
        return self.who == "system"

    def signature(self) -> tuple:
        return (self.who, self.what, self.object_id, self.action, self.reason,
                tuple((c.name, c.old, c.new) for c in self.changes))


def _shown(model, value, f) -> str:
    if value is None or value == "":
        return "—"
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        return f"#{value}"
    return str(value)


# Unchanged runs this short between two changes are folded into them, so that a reworded phrase
# reads as one phrase out and one in, not as words interleaved.
_GLUE_WORDS = 2


def text_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Differences as (op, text) pieces, op "same", "del" or "ins": whole changed phrases (a
    run of changes with at most _GLUE_WORDS unchanged words between them is one change)."""
    a, b = _WORDS.split(old), _WORDS.split(new)
    blocks = []  # [op, old text, new text]
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        blocks.append(["same" if op == "equal" else "change", "".join(a[i1:i2]), "".join(b[j1:j2])])
    merged: list[list[str]] = []
    for index, block in enumerate(blocks):
        between = 0 < index < len(blocks) - 1 and block[0] == "same"
        if between and len(block[1].split()) <= _GLUE_WORDS and merged and merged[-1][0] == "change":
            block = ["change", block[1], block[2]]
        if merged and merged[-1][0] == block[0] == "change":
            merged[-1][1] += block[1]
            merged[-1][2] += block[2]
        else:
            merged.append(list(block))
    pieces = []
    for op, before, after in merged:
        if op == "same":
            pieces.append(("same", before))
            continue
        # Spaces at the edges of a change belong to the unchanged text around it.
        lead = len(before) - len(before.lstrip()) if before.strip() and after.strip() else 0
        if lead and before[:lead] == after[:lead]:
            pieces.append(("same", before[:lead]))
            before, after = before[lead:], after[lead:]
        if before:
            pieces.append(("del", before))
        if after:
            pieces.append(("ins", after))
    return pieces


def _changes(model, before, after) -> list[FieldChange]:
    changes = []
    for f in model._meta.concrete_fields:
        if f.name in _NOT_SHOWN or not f.editable:
            continue
        old = getattr(before, f.attname) if before is not None else None
        new = getattr(after, f.attname)
        if old == new or (before is None and new in (None, "", False)):
            continue
        change = FieldChange(f.name, str(f.verbose_name), _shown(model, old, f), _shown(model, new, f))
        if isinstance(old, str) and isinstance(new, str) and old and max(len(old), len(new)) > 40:
            change.segments = text_diff(old, new)
        changes.append(change)
    return changes


def claim_as_of(claim: Claim, version: str, fields) -> dict | None:
    """The claim's `fields` as they were in `version` (a version token: its updated_at), from
    its history (one query on the claim's own records); None when the history does not hold it
    (a malformed token, or a row written without history)."""
    try:
        when = datetime.fromisoformat(version)
    except (TypeError, ValueError):
        return None
    return claim.history.filter(updated_at=when).order_by("-history_id").values(*fields).first()


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _entries(model, label: str, records) -> list[HistoryEntry]:
    entries = []
    previous = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        changes = _changes(model, before, record) if record.history_type != "-" else []
        previous[record.id] = record
        if record.history_type == "~" and not changes and not record.history_change_reason:
            continue
        who = record.history_user.get_username() if record.history_user else "system"
        entries.append(HistoryEntry(
            record.history_date, who, label, record.id, _ACTIONS[record.history_type],
            record.history_change_reason or "", changes,
        ))
    return entries


def claim_history(claim: Claim, *, include_hidden: bool = False) -> list[HistoryEntry]:
    """Every recorded change to the claim, its citations, relations and annotations, newest first
    (four queries). The history of a hidden annotation is hidden with it."""
    history_user = ("history_user",)
    claims = Claim.history.filter(id=claim.pk).select_related(*history_user)
    cited = Citation.history.filter(claim_id=claim.pk).values("id")
    citations = Citation.history.filter(id__in=cited).select_related(*history_user)
    relations = Relation.history.filter(Q(from_claim_id=claim.pk) | Q(to_claim_id=claim.pk)).select_related(*history_user)
    annotated = Annotation.objects.filter(Q(claim=claim) | Q(citation__claim=claim))
    if not include_hidden:
        annotated = annotated.visible()
    annotated = annotated.values("id")
    annotations = Annotation.history.filter(id__in=annotated).select_related(*history_user)
    entries = (
        _entries(Claim, "claim", claims)
        + _entries(Citation, "citation", citations)
        + _entries(Relation, "relation", relations)
        + _entries(Annotation, "annotation", annotations)
    )
    return once(sorted(entries, key=lambda e: e.when, reverse=True))


def once(entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """Each change shown once: an entry repeating the one before it (the same change to the same
    record by the same author, saved twice) is left out."""
    kept: list[HistoryEntry] = []
    for entry in entries:
        if not kept or kept[-1].signature() != entry.signature():
            kept.append(entry)
    return kept


def last_change(obj) -> HistoryEntry | None:
    """Who made the latest recorded change to a claim or an annotation, and what it was."""
    model = type(obj)
    records = list(model.history.filter(id=obj.pk).select_related("history_user").order_by("-history_date", "-history_id")[:2])
    if not records:
        return None
    entries = _entries(model, model._meta.verbose_name, reversed(records))
    return entries[-1] if entries else None

