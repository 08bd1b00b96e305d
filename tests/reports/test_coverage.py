"""Coverage of the seeds by the curated claims: every sentence is a claim or a marked non-claim."""
import pytest
from django.core.management import call_command
from kb.reports.coverage import source_coverage
from tests.factories import ARTICLE_SLUG, BLOG_SLUG


@pytest.mark.parametrize("slug", [ARTICLE_SLUG, BLOG_SLUG])
def test_coverage_is_complete(curated, slug):
    report = source_coverage(curated["article" if slug == ARTICLE_SLUG else "blog"])
    assert report.sentences > 50
    assert report.uncovered == []
    call_command("claim_coverage", "--strict", "--source", slug)
