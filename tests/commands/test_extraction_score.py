"""extraction_score: recall and precision against the curated claims."""
import io
import re
import pytest
from django.core.management import call_command


def test_score_command_prints_recall_and_precision_for_each_seed(curated):
    out = io.StringIO()
    call_command("extraction_score", "--seeds", stdout=out)
    lines = out.getvalue().splitlines()
    figures = {}
    for line in lines:
        match = re.match(r"(\S+): recall ([\d.]+)% .* precision ([\d.]+)%", line)
        if match:
            figures[match.group(1)] = (float(match.group(2)), float(match.group(3)))
    assert set(figures) == {curated["article"].slug, curated["blog"].slug, "overall"}
    recall, precision = figures["overall"]
    assert recall >= 85 and precision >= 70


def test_score_command_refuses_an_unknown_slug(curated):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no-such-source"):
        call_command("extraction_score", "--seeds", "no-such-source", stdout=io.StringIO())
