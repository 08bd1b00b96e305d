"""User Markdown comes out inert: one sanitising filter, tested with hostile input."""
from html.parser import HTMLParser

import pytest
from django.template import Context, Template

from kb.templatetags.markdown_safe import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<div onclick="alert(1)">\nraw block\n</div>',
    "<iframe src='https://evil.example'></iframe>",
    "<style>body{display:none}</style>",
    "<!-- comment --><b>bold</b>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript&#x3A;alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![img](https://tracker.example/pixel.png)",
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    "<a href='https://ok.example' onmouseover='alert(1)'>hover</a>",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


class _Elements(HTMLParser):
    """The real elements and attributes of rendered HTML (escaped text is not an element)."""

    def __init__(self, rendered: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.feed(rendered)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)


ALLOWED = {"p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "h5", "h6"}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_is_inert(text):
    rendered = str(render_markdown(text))
    elements = _Elements(rendered)
    assert set(elements.tags) <= ALLOWED, rendered
    for tag, name, value in elements.attributes:
        assert (tag, name) in {("a", "href"), ("a", "title"), ("a", "rel")}, rendered
        if name == "href":
            assert value.lower().startswith(("http://", "https://", "mailto:")), rendered
            assert not any(ch.isspace() for ch in value)
        if name == "rel":
            assert value == "nofollow noopener"


def test_raw_html_is_shown_as_text():
    rendered = str(render_markdown('<b onclick="x()">bold</b> and <script>alert(1)</script>'))
    assert "&lt;b onclick=" in rendered and "&lt;script&gt;" in rendered


def test_markdown_still_works_and_links_are_nofollow():
    rendered = str(render_markdown("# Heading\n\nSome **bold**, *italic* and a [link](https://example.org/a?b=1&c=2).\n\n- one\n- two"))
    assert "<h3>Heading</h3>" in rendered
    assert "<strong>bold</strong>" in rendered and "<em>italic</em>" in rendered
    assert '<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow noopener">link</a>' in rendered
    assert "<li>one</li>" in rendered


def test_the_filter_is_the_template_path():
    out = Template("{% load markdown_safe %}{{ body|markdown_safe }}").render(
        Context({"body": "[x](javascript:alert(1)) <script>alert(2)</script> **ok**"})
    )
    assert "<strong>ok</strong>" in out and "&lt;script&gt;alert(2)" in out
    assert _Elements(out).attributes == [("a", "rel", "nofollow noopener")]


def test_bare_urls_become_links_outside_code_and_links():
    html = render_markdown("See https://example.org/report?id=3. Also (https://a.org/x) and `https://code.org/`.")
    assert '<a href="https://example.org/report?id=3" rel="nofollow noopener">https://example.org/report?id=3</a>.' in html
    assert '(<a href="https://a.org/x" rel="nofollow noopener">https://a.org/x</a>)' in html
    assert "<code>https://code.org/</code>" in html


def test_a_bare_url_inside_a_link_is_not_linked_twice():
    html = render_markdown("[https://x.org/](https://x.org/)")
    assert html.count("<a ") == 1


def test_a_bare_url_cannot_smuggle_an_attribute_or_a_scheme():
    html = render_markdown('http://a.b/"onmouseover=alert(1) javascript:alert(1)')
    assert "onmouseover=" not in html.split(">", 2)[1]
    assert 'href="javascript' not in html
