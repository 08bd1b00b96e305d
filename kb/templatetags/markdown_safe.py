"""The one way user-written Markdown reaches a page: `{{ text|markdown_safe }}`.

Markdown is rendered with raw HTML switched off (it shows as text), then the result goes
through nh3 with an allow-list: only the tags below survive, links keep only http, https
and mailto addresses (or paths on this site) and get rel="nofollow noopener", and no
attribute but href and title is kept. Images are not allowed: a page loads nothing from another site.
"""
import re

import markdown
import nh3
from django import template
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


def _markdown_without_html(text: str) -> str:
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    html = md.convert(text)
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)


def _only_plain_links(tag: str, attribute: str, value: str) -> str | None:
    """Keep an href only if it is plainly http(s), mailto or a path on this site: no white
    space or control characters that a browser would strip to reveal another scheme."""
    if attribute != "href":
        return value
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return None
    lowered = value.lower()
    if lowered.startswith(("http://", "https://", "mailto:")) or (value.startswith(("/", "#")) and not value.startswith("//")):
        return value
    return None


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
