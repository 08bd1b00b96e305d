"""Links in Markdown are checked as browsers read them (issue 13, item 6)."""
import re

import pytest

from kb.templatetags.markdown_safe import render_markdown, site_safe_url


def hrefs(markdown: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', str(render_markdown(markdown)))


@pytest.mark.parametrize("link", [
    "/\\host/path", "/\\\\host", "\\/host", "//host/path", "/\t/host", " //host", "\\\\host/x",
    "https:\\\\host", "java\tscript:alert(1)", "javascript:alert(1)", "data:text/html,x", "vbscript:x",
    "/%0a/host", "\x01//host", "http://", "/\u0085/host",
])
def test_links_that_a_browser_would_follow_off_site_or_into_script_are_dropped(link):
    for href in hrefs(f"[x](<{link}>)") + hrefs(f"[x]({link})"):
        followed = href.replace("\\", "/")
        assert followed.startswith(("http://", "https://", "mailto:", "#")) or (
            followed.startswith("/") and not followed.startswith("//")
        ), href
        assert not followed.startswith(("http:///", "https:///"))


def test_the_reported_link_renders_without_an_address():
    assert hrefs("[x](/\\host/path)") == []


@pytest.mark.parametrize("value, seen", [
    ("/claims/1/", "/claims/1/"), ("#p-3", "#p-3"), ("https://example.org/a", "https://example.org/a"),
    ("mailto:a@example.org", "mailto:a@example.org"), ("\\claims\\1", "/claims/1"),
])
def test_plain_links_are_kept_as_the_browser_reads_them(value, seen):
    assert site_safe_url(value) == seen
