"""export_claims: JSON-LD and CSV, stable bytes, every quote at its offsets."""
import json
from django.core.management import call_command
from kb.models import Citation, Claim


def test_export_round_trips(curated, tmp_path):
    out = tmp_path / "claims.jsonld"
    call_command("export_claims", "--format", "jsonld", "--output", str(out))
    first = out.read_bytes()
    call_command("export_claims", "--format", "jsonld", "--output", str(out))
    assert out.read_bytes() == first
    items = json.loads(first)
    assert len(items) == Claim.objects.count()
    texts = {s.slug: s.text for s in curated.values()}
    for item in items:
        assert {"id", "statement", "kind", "status", "date", "confidence", "entities", "tags", "relations", "citations"} <= set(item)
        assert {"edtf", "earliest", "latest", "precision", "wording"} <= set(item["date"])
        assert {"credibility", "label", "rationale", "grade"} <= set(item["confidence"])
        for citation in item["citations"]:
            position, quote = citation["selector"]
            assert position["type"] == "TextPositionSelector" and quote["type"] == "TextQuoteSelector"
            assert texts[citation["source"]["slug"]][position["start"] : position["end"]] == quote["exact"]
            assert {"slug", "title", "sha256", "reliability"} <= set(citation["source"])
            assert "attribution" in citation and citation["stance"] in {"states", "hedged", "disputes"}
    csv_out = tmp_path / "claims.csv"
    call_command("export_claims", "--format", "csv", "--output", str(csv_out))
    import csv

    rows = list(csv.DictReader(csv_out.open(encoding="utf-8")))
    assert len(rows) == Citation.objects.count()
    assert all(texts[r["source_slug"]][int(r["start"]) : int(r["end"])] == r["quote"] for r in rows)
