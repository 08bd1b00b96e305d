"""Web addresses: http and https only, and a refusal that says why (no database)."""
import pytest
from django.core.exceptions import ValidationError

from kb.text.web_urls import check_web_url, url_scheme


@pytest.mark.parametrize("url, scheme", [
    ("https://example.org", "https"), ("HTTP://x.org", "http"), ("javascript:alert(1)", "javascript"),
    (" java\tscript:alert(1)", "javascript"), ("data:text/html,x", "data"), ("example.org/x", ""),
    ("example.org:8080/x", ""),
])
def test_the_scheme_is_read_as_a_browser_reads_it(url, scheme):
    assert url_scheme(url) == scheme


def test_javascript_is_refused_with_the_reason():
    with pytest.raises(ValidationError) as caught:
        check_web_url("javascript:alert(1)")
    assert caught.value.code == "url_scheme"
    message = caught.value.messages[0]
    assert message.startswith("“javascript:” addresses are refused") and "can run code" in message


def test_an_address_without_scheme_passes_only_where_https_is_assumed():
    check_web_url("example.org/x", scheme_required=False)
    with pytest.raises(ValidationError) as caught:
        check_web_url("example.org/x")
    assert "starting with https://" in caught.value.messages[0]
    check_web_url("https://example.org/x")
