"""The source list and the reader: headings, highlights, annotations' places, shared text, hostile text."""
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from kb.services.sources import source_import
from kb.models import Citation, Claim, SourceLink
from tests.factories import ARTICLE_SLUG, BLOG_SLUG, SourceFactory
from tests.helpers import page


def test_source_list_shows_sources_with_grade_and_size(client, seeds, django_assert_num_queries):
    # The capped count, the page of sources, then passages and claims counted for those only.
    with django_assert_num_queries(4):
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


# The source, its sections, passages, citations and versions, annotations, copy links.
READER_QUERIES = 7


@pytest.mark.parametrize("repeat", [1, 12])
def test_reader_query_count_does_not_grow_with_size(client, db, repeat, django_assert_num_queries):
    from tests.factories import ARTICLE

    data = b"\n\n".join([ARTICLE.read_bytes()] * repeat)
    source_import(data=data, name="big.txt", metadata={"slug": "big"})
    with django_assert_num_queries(READER_QUERIES):
        response = client.get("/sources/big/")
    assert response.status_code == 200


def test_reader_highlights_equal_citation_ranges(client, curated):
    article = curated["article"]
    html = client.get(f"/sources/{article.slug}/").content.decode()
    for citation in Citation.objects.filter(source=article)[:20]:
        assert f'data-citation="{citation.pk}"' in html


def test_source_pages_show_what_is_copied_and_by_whom(client, curated):
    article, blog = curated["article"], curated["blog"]
    link = SourceLink.objects.get()
    run = link.evidence[0]
    copy_page = client.get(blog.get_absolute_url()).content.decode()
    assert "This source repeats" in copy_page
    assert f'href="{article.get_absolute_url()}#{run["target_passage"]}"' in copy_page
    assert f'href="#{run["passage"]}"' in copy_page
    original_page = client.get(article.get_absolute_url()).content.decode()
    assert "Repeated by" in original_page
    assert f'href="{blog.get_absolute_url()}#{run["passage"]}"' in original_page
    assert f'href="#{run["target_passage"]}"' in original_page


def test_a_source_without_links_shows_no_box(client, db):
    source = SourceFactory(slug="alone")
    assert "Shared text" not in client.get(source.get_absolute_url()).content.decode()


def test_reader_renders_a_hostile_bold_line(client, db):
    # How long it takes is measured by scripts/bench_hostile.py, outside the suite.
    line = "A claim. " + "**x " * 50_000 + "end.\n"
    source_import(data=line.encode(), name="bold.txt", metadata={"slug": "bold"}, candidates=False)
    response = client.get("/sources/bold/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "A claim." in html and "end." in html


class HighlightText(HTMLParser):
    """Collect the text inside every element carrying data-citation, nested ones included."""

    def __init__(self):
        super().__init__()
        self.stack, self.text = [], {}

    def handle_starttag(self, tag, attrs):
        self.stack.append(dict(attrs).get("data-citation"))

    def handle_endtag(self, tag):
        self.stack.pop()

    def handle_data(self, data):
        for cid in set(filter(None, self.stack)):
            self.text[int(cid)] = self.text.get(int(cid), "") + data


def test_reader_highlight_ranges_equal_citation_ranges(client, curated):
    for which, slug in (("article", ARTICLE_SLUG), ("blog", BLOG_SLUG)):
        html = page(client, f"/sources/{slug}/")
        body = html[html.index('<article class="reader"'): html.index("</article>") + len("</article>")]
        parser = HighlightText()
        parser.feed(body)
        citations = Citation.objects.filter(source=curated[which])
        assert citations.count() > 50
        for citation in citations:
            # Markdown bold markers are hidden in a span of their own but still in the text.
            assert parser.text[citation.pk] == citation.quote


def test_reader_marks_the_claim_from_the_query(client, curated):
    claim = Claim.objects.get(key="art-iran-sponsors-hamas-since-early-1990s")
    html = page(client, f"/sources/{ARTICLE_SLUG}/?claim={claim.pk}")
    assert f'class="hl hl-marked" data-claim="{claim.pk}"' in html
    assert "reader.js" in html
