"""The public CSV export writes no cell a spreadsheet would run as a formula."""
import csv
import io

from django.test import Client

from kb.models import Claim


def test_a_statement_typed_as_a_formula_is_exported_as_text(seeds):
    claim = Claim.objects.published().filter(citations__isnull=False).first()
    Claim.objects.filter(pk=claim.pk).update(statement='=HYPERLINK("http://evil.example","click")')
    response = Client().get("/claims/export.csv")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    cells = [row["statement"] for row in rows if row["claim_id"] == str(claim.pk)]
    assert cells and all(cell == '\'=HYPERLINK("http://evil.example","click")' for cell in cells)
    assert not any(value.startswith(("=", "+", "@")) for row in rows for value in row.values() if value)
