"""The gold evaluation corpus (fixtures/gold/) is well formed: every quote sits at its offsets,
every date is EDTF, every document has its metadata. Plain functions, no database."""

from pathlib import Path

import pytest
import yaml
from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException

GOLD = Path(__file__).resolve().parents[2] / "fixtures" / "gold"
GOLD_FILES = sorted(GOLD.glob("*.gold.yaml"))
KINDS = {"encyclopedia", "news", "analysis", "blog", "government", "transcript", "other"}
NOT_CLAIM_REASONS = {
    "byline", "dateline", "title", "caption", "promo", "publisher-line",
    "reference-entry", "infobox", "navigation", "rhetoric", "heading",
}
CLAIM_KEYS = {"quote", "start", "end", "statement", "date", "attribution", "hedged", "entities"}
META_KEYS = {
    "slug", "title", "kind", "publisher", "author", "url", "published", "retrieved",
    "language", "reliability", "reliability_note", "provenance",
}
PROVENANCE_KEYS = {"url", "found_via", "licence", "excerpt", "notes"}


def slug_of(path: Path) -> str:
    return path.name.removesuffix(".gold.yaml")


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def text_of(slug: str) -> str:
    raw = (GOLD / f"{slug}.txt").read_bytes()
    text = raw.decode("utf-8")  # raises on invalid UTF-8
    assert "\r" not in text, f"{slug}.txt has CR characters"
    return text


def is_edtf(value: str) -> bool:
    # Open-ended intervals ("../1979", "1979/..") are EDTF level 1; accept them even if a
    # given version of the edtf package is strict about one side.
    try:
        parse_edtf(value)
        return True
    except EDTFParseException:
        if value.startswith("../"):
            return is_edtf(value[3:])
        if value.endswith("/.."):
            return is_edtf(value[:-3])
        return False


def test_corpus_size_and_kinds():
    assert len(GOLD_FILES) >= 12
    kinds = {load(GOLD / f"{slug_of(p)}.meta.yaml")["kind"] for p in GOLD_FILES}
    assert len(kinds) >= 6, kinds


def test_every_txt_has_gold_and_meta():
    for txt in GOLD.glob("*.txt"):
        slug = txt.name.removesuffix(".txt")
        assert (GOLD / f"{slug}.gold.yaml").exists(), slug
        assert (GOLD / f"{slug}.meta.yaml").exists(), slug


@pytest.mark.parametrize("path", GOLD_FILES, ids=slug_of)
def test_metadata(path):
    slug = slug_of(path)
    meta = load(GOLD / f"{slug}.meta.yaml")
    assert META_KEYS <= set(meta), META_KEYS - set(meta)
    assert meta["slug"] == slug
    assert meta["kind"] in KINDS
    assert meta["reliability"] in set("ABCDEF")
    assert is_edtf(str(meta["published"])), meta["published"]
    assert PROVENANCE_KEYS <= set(meta["provenance"])
    assert isinstance(meta["provenance"]["excerpt"], bool)
    assert meta["provenance"]["licence"]


@pytest.mark.parametrize("path", GOLD_FILES, ids=slug_of)
def test_text_is_utf8_without_cr_and_sized(path):
    text = text_of(slug_of(path))
    assert 1000 <= len(text.encode("utf-8")) <= 12_500


@pytest.mark.parametrize("path", GOLD_FILES, ids=slug_of)
def test_claims(path):
    slug = slug_of(path)
    text = text_of(slug)
    claims = load(path).get("claims") or []
    assert claims, f"{slug} has no claims"
    spans = set()
    for c in claims:
        assert CLAIM_KEYS <= set(c), (slug, CLAIM_KEYS - set(c))
        assert isinstance(c["start"], int) and isinstance(c["end"], int)
        assert text[c["start"]:c["end"]] == c["quote"], (slug, c["quote"])
        assert (c["start"], c["end"]) not in spans, (slug, "duplicate span", c["quote"])
        spans.add((c["start"], c["end"]))
        assert isinstance(c["statement"], str) and c["statement"].strip()
        assert isinstance(c["hedged"], bool), (slug, c["quote"])
        assert c["attribution"] is None or isinstance(c["attribution"], str)
        assert isinstance(c["entities"], list)
        if c["date"] is not None:
            assert set(c["date"]) == {"edtf", "words"}, (slug, c["date"])
            assert is_edtf(c["date"]["edtf"]), (slug, c["date"]["edtf"])
            assert isinstance(c["date"]["words"], str)


@pytest.mark.parametrize("path", GOLD_FILES, ids=slug_of)
def test_not_claims(path):
    slug = slug_of(path)
    text = text_of(slug)
    for n in load(path).get("not_claims") or []:
        assert {"quote", "start", "end", "reason"} <= set(n), (slug, n)
        assert text[n["start"]:n["end"]] == n["quote"], (slug, n["quote"])
        assert n["reason"] in NOT_CLAIM_REASONS, (slug, n["reason"])
