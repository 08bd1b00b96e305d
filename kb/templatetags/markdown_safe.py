"""The one way user-written Markdown reaches a page: `{{ text|markdown_safe }}`.

Markdown is rendered with raw HTML switched off (it shows as text), then the result goes
through nh3 with an allow-list: only the tags below survive, links keep only http, https
and mailto addresses (or paths on this site) and get rel="nofollow noopener", and no
attribute but href and title is kept. Images are not allowed: a page loads nothing from another site.
Bare http(s) addresses in running text become links (nh3 has no linkify; a Markdown inline
pattern does it, so code spans and existing links are left alone).
"""
from html import unescape as html_unescape
import re

import xml.etree.ElementTree as etree

import markdown
import nh3
from django import template
from markdown.inlinepatterns import InlineProcessor
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Markdown headings start at h3 so that a note never outranks the page's own headings.
_HEADING = re.compile(r"<(/?)h([1-6])>")


# A bare http(s) address in running text; trailing punctuation ends the sentence, not the URL.
BARE_URL = r"(?<![\w/<=\"'])(https?://[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]])"


class _BareUrl(InlineProcessor):
    """Links a bare address, as editors paste them. Not inside a link (ANCESTOR_EXCLUDES) and
    never in code (Markdown stashes code spans before inline patterns run); the address is
    checked by nh3 and site_safe_url like any other link."""

    ANCESTOR_EXCLUDES = ("a",)

    def handleMatch(self, m, data):
        link = etree.Element("a")
        link.set("href", m.group(1))
        link.text = m.group(1)
        return link, m.start(0), m.end(0)


def _markdown_without_html(text: str) -> str:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.inlinePatterns.register(_BareUrl(BARE_URL, md), "bare_url", 5)
    html = md.convert(text)
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)


def site_safe_url(value: str) -> str | None:
    """The address as a browser will read it, if it is plainly http(s), mailto, a fragment or
    a path on this site; otherwise None.

    Browsers (the WHATWG URL standard) drop leading and trailing control characters and
    spaces, remove tabs and newlines anywhere, and read a backslash as a slash in http(s) and
    relative addresses: so "/\\host", " //host" and "/\t/host" all lead to another site, and
    "java\tscript:" is "javascript:". Rather than strip, refuse any white space or control
    character, and give back the address with its backslashes turned into the slashes the
    browser would see, so that what was checked is what is followed.
    """
    if any(ch.isspace() or ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in value):
        return None
    if html_unescape(value) != value:
        # "/&#x2F;host" is "//host" wherever the address is written into HTML unescaped once
        # more: an address that reads differently after unescaping is not kept.
        return None
    seen = value.replace("\\", "/")
    lowered = seen.lower()
    if lowered.startswith(("http://", "https://")):
        host = seen.split("://", 1)[1]
        return seen if host and not host.startswith("/") else None  # "http:///x": whose host?
    if lowered.startswith("mailto:"):
        return value
    if seen.startswith("#"):
        return value
    if seen.startswith("/") and not seen.startswith("//"):
        return seen
    return None


def _only_plain_links(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "href":
        return value
    return site_safe_url(value)


def render_markdown(text: str) -> SafeString:
    cleaned = nh3.clean(
        _markdown_without_html(text or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
        attribute_filter=_only_plain_links,
    )
    return mark_safe(cleaned)  # sanitised by nh3 just above: the only mark_safe on user text


@register.filter(name="markdown_safe", is_safe=False)
def markdown_safe(value) -> SafeString:
    return render_markdown(str(value or ""))
