"""What a web page says about itself: title, author, publisher, publication date and address,
from JSON-LD (`NewsArticle`, `Article`, `Report`...), OpenGraph and `<meta>` tags, in that
order of trust. Only the page's head and its JSON-LD scripts are read; nothing is fetched.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                  "report", "scholarlyarticle", "webpage", "opinionnewsarticle", "backgroundnewsarticle"}
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
MAX_JSON_LD = 256 * 1024


class _HeadReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.canonical = ""
        self.json_ld: list[str] = []
        self._in_title = False
        self._in_json = False
        self._json: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and values.get("content") and key not in self.meta:
                self.meta[key] = " ".join(values["content"].split())
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.canonical = self.canonical or values.get("href", "")
        elif tag == "title" and not self.title:
            self._in_title = True
        elif tag == "script" and values.get("type", "").lower() == "application/ld+json":
            self._in_json, self._json = True, []

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "script" and self._in_json:
            self._in_json = False
            self.json_ld.append("".join(self._json)[:MAX_JSON_LD])

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif self._in_json:
            self._json.append(data)


def _things(value):
    """Every JSON-LD object, looking inside lists and @graph."""
    if isinstance(value, list):
        for item in value:
            yield from _things(item)
    elif isinstance(value, dict):
        yield value
        yield from _things(value.get("@graph", []))


def _name(value) -> str:
    if isinstance(value, list):
        names = [_name(item) for item in value]
        return ", ".join(name for name in names if name)
    if isinstance(value, dict):
        return _name(value.get("name", ""))
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""


def _types(thing: dict) -> set[str]:
    kinds = thing.get("@type", [])
    return {str(kind).lower() for kind in (kinds if isinstance(kinds, list) else [kinds])}


def _day(value: str) -> str:
    match = _DATE.match(value.strip())
    if not match:
        return ""
    year, month, day = (int(part) for part in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


def page_metadata(html: str) -> dict:
    """{title, author, publisher, published (YYYY-MM-DD), url}: only what the page states."""
    reader = _HeadReader()
    try:
        reader.feed(html)
        reader.close()
    except (AssertionError, ValueError):
        pass  # a malformed page: keep what was read
    found: dict[str, str] = {}
    for raw in reader.json_ld:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        for thing in _things(data):
            if not _types(thing) & _ARTICLE_TYPES:
                continue
            for field, value in (("title", _name(thing.get("headline") or thing.get("name", ""))),
                                 ("author", _name(thing.get("author", ""))),
                                 ("publisher", _name(thing.get("publisher", ""))),
                                 ("published", _day(str(thing.get("datePublished", "")))),
                                 ("url", str(thing.get("url", "")) if isinstance(thing.get("url"), str) else "")):
                if value and field not in found:
                    found[field] = value
    meta = reader.meta
    fallbacks = {
        "title": [meta.get("og:title", ""), meta.get("twitter:title", ""), " ".join(reader.title.split())],
        "author": [meta.get("author", ""), meta.get("article:author", ""), meta.get("dc.creator", "")],
        "publisher": [meta.get("og:site_name", ""), meta.get("publisher", "")],
        "published": [_day(meta.get(key, "")) for key in ("article:published_time", "datepublished",
                                                          "dc.date", "date", "pubdate")],
        "url": [meta.get("og:url", ""), reader.canonical],
    }
    for field, values in fallbacks.items():
        if field not in found:
            value = next((v for v in values if v), "")
            if value:
                found[field] = value
    if found.get("url") and not found["url"].startswith(("http://", "https://")):
        del found["url"]
    if found.get("author", "").startswith(("http://", "https://")):
        del found["author"]  # a profile address, not a name
    limits = {"title": 500, "author": 300, "publisher": 300, "url": 2000}
    return {field: value[: limits.get(field, 100)] for field, value in found.items()}
