"""The source list and the reader."""
import pytest
from django.urls import reverse

from kb.services.sources import source_import
from kb.models import Citation


def test_source_list_shows_sources_with_grade_and_size(client, seeds, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(reverse("source-list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Iranian support for Hamas" in html and "Hamas &amp; Iran: Unraveling A Complex Relationship" in html
    assert "11,958 characters" in html
    assert 'class="grade grade-E"' in html and 'class="grade grade-C"' in html


def test_reader_renders_headings_anchors_and_boilerplate(client, seeds):
    response = client.get(reverse("source-detail", args=[seeds["article"].slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="s-history"' in html and 'class="rh rh-2"' in html
    assert 'class="rh rh-4" id="s-1995-kfar-darom-bus-attack"' in html
    assert 'id="p-3"' in html and 'href="#p-3"' in html
    assert 'class="boilerplate" id=' in html and "Iran–Palestine relations" in html
    assert "<blockquote" in html


def test_reader_shows_markdown_bold_as_bold(client, seeds):
    html = client.get(reverse("source-detail", args=[seeds["blog"].slug])).content.decode()
    assert "<strong>Since the early 1990s, the Islamic Republic of Iran" in html
    # The table of contents is one collapsed group, still in the page and readable.
    assert '<details class="boilerplate-group">' in html
    assert "Table of contents · 10 passages" in html
    assert "- The Genesis of a Strategic Alliance" in html


def test_reader_escapes_source_text(client, db):
    source_import(data=b"A paragraph with <script>alert(1)</script> in it, long enough to read.\n", name="x.txt",
                  metadata={"slug": "hostile"})
    html = client.get("/sources/hostile/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_source_is_a_designed_404(client, db):
    response = client.get("/sources/nothing-here/")
    assert response.status_code == 404
    assert "Nothing here" in response.content.decode()


@pytest.mark.parametrize("repeat", [1, 12])
def test_reader_query_count_does_not_grow_with_size(client, db, repeat, django_assert_max_num_queries):
    from tests.conftest import ARTICLE

    data = b"\n\n".join([ARTICLE.read_bytes()] * repeat)
    source_import(data=data, name="big.txt", metadata={"slug": "big"})
    with django_assert_max_num_queries(8):
        response = client.get("/sources/big/")
    assert response.status_code == 200


def test_reader_highlights_equal_citation_ranges(client, curated):
    article = curated["article"]
    html = client.get(f"/sources/{article.slug}/").content.decode()
    for citation in Citation.objects.filter(source=article)[:20]:
        assert f'data-citation="{citation.pk}"' in html
