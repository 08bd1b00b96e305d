"""HTML to text: the main text of a page, as Markdown-like lines the structure finder reads.

Only the words a reader of the page would take as its content are kept: navigation,
headers, footers, asides, scripts, styles, forms, embedded frames and the like are
dropped, and so is what a page marks as around its text by a role or a class or id
(cookie banners, related links, comments, sharing buttons, advertising); when the page
marks its content (`<main>`, else `<article>`) only that is read. Headings become `#` lines by level, list items `- ` lines, blockquotes `> ` lines,
paragraphs are separated by blank lines. No tag or attribute survives, so neither can a
script or an event handler; entities are decoded. The bytes as received are kept on
`Source.original` by the pipeline.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Elements whose whole content is dropped.
DROPPED = frozenset({
    "nav", "header", "footer", "aside", "script", "style", "form", "noscript", "iframe", "svg",
    "template", "button", "select", "textarea", "object", "embed", "canvas", "math", "dialog",
    "menu", "head", "title", "video", "audio", "map", "frameset", "frame",
})
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
})
# Elements that start a new block of text.
BLOCKS = frozenset({
    "address", "article", "body", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "html", "li", "main", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "center", "hgroup",
})
HEADINGS = {f"h{level}": level for level in range(1, 7)}
# An open <p> (or <li>, ...) is closed by the start of one of these, as browsers do.
_CLOSES_P = BLOCKS - {"body", "html"}
_IMPLIED_END = {
    "p": _CLOSES_P,
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr"},
    "td": {"td", "th", "tr"},
    "th": {"td", "th", "tr"},
    "option": {"option"},
}
_SPACE = re.compile(r"[ \t\n\r\f]+")
# What a page marks, by role or by a class or id, as around its text rather than in it:
# cookie banners, related links, comments, sharing buttons, newsletter boxes, advertising.
_AROUND_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog",
                           "search", "menu", "menubar"})
_AROUND_NAMES = re.compile(
    r"(?:^|[-_])(?:cookies?|consent|gdpr|cookiebanner|related|recommended|recirculation|more-stories|"
    r"newsletter|subscribe|subscription|social|share-?buttons|sharing|comments?|disqus|advert|advertisement|"
    r"ads?|ad-slot|promo|sponsored|breadcrumbs?|paywall|popup|modal|sidebar|outbrain|taboola|most-read|"
    r"trending|read-more|further-reading|author-bio|tags-list)(?:$|[-_])",
    re.I,
)
_NEVER_AROUND = frozenset({"html", "body", "main", "article"})


def _around_the_text(tag: str, attrs) -> bool:
    if tag in _NEVER_AROUND:
        return False
    for name, value in attrs:
        if name == "role" and (value or "").lower() in _AROUND_ROLES:
            return True
        if name in ("class", "id") and value and any(_AROUND_NAMES.search(token) for token in value.split()):
            return True
    return False


@dataclass
class Node:
    tag: str
    parent: Node | None = None
    children: list = field(default_factory=list)  # Node or str
    hidden: bool = False


class _TreeBuilder(HTMLParser):
    """A forgiving tree of elements and text (no attributes kept, beyond `hidden`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.open: list[Node] = [self.root]

    def _close_implied(self, tag: str) -> None:
        while len(self.open) > 1:
            current = self.open[-1].tag
            if current in _IMPLIED_END and tag in _IMPLIED_END[current]:
                self.open.pop()
            else:
                return

    def handle_starttag(self, tag, attrs):
        self._close_implied(tag)
        hidden = any(
            name == "hidden" or (name == "aria-hidden" and (value or "").lower() == "true")
            for name, value in attrs
        ) or _around_the_text(tag, attrs)
        node = Node(tag, self.open[-1], hidden=hidden)
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_startendtag(self, tag, attrs):
        self._close_implied(tag)
        self.open[-1].children.append(Node(tag, self.open[-1]))

    def handle_endtag(self, tag):
        if tag in VOID:
            if tag == "br":  # "</br>" is a line break in browsers too
                self.open[-1].children.append(Node("br", self.open[-1]))
            return
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


class _TextWriter:
    """Walks the tree and collects blocks of text, each with its Markdown marker."""

    def __init__(self):
        self.blocks: list[str] = []
        self.inline: list[str] = []
        self.marker = ""  # what the block being collected starts with
        self.quote_depth = 0
        self.list_depth = 0

    def flush(self) -> None:
        text = "".join(self.inline)
        self.inline = []
        lines = [_SPACE.sub(" ", line).strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            prefix = "> " * self.quote_depth
            first = prefix + self.marker + lines[0]
            self.blocks.append("\n".join([first] + [prefix + line for line in lines[1:]]))
            self.marker = ""

    def walk(self, node: Node) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.inline.append(_SPACE.sub(" ", child))  # source line breaks are spaces
            else:
                self.element(child)

    def element(self, node: Node) -> None:
        tag = node.tag
        if tag in DROPPED or node.hidden:
            return
        if tag == "br":
            self.inline.append("\n")
            return
        if tag == "pre":
            self.flush()
            text = "".join(_text_of(node)).strip("\n")
            if text.strip():
                prefix = "> " * self.quote_depth
                self.blocks.append("\n".join(prefix + line for line in text.split("\n") if line.strip()))
            return
        if tag in ("td", "th"):
            if self.inline and "".join(self.inline).strip():
                self.inline.append(" | ")
            self.walk(node)
            return
        if tag not in BLOCKS:
            self.walk(node)
            return
        self.flush()
        if tag in HEADINGS:
            self.marker = "#" * HEADINGS[tag] + " "
            self.walk(node)
            self.inline = [_SPACE.sub(" ", "".join(self.inline))]  # a heading is one line
        elif tag == "li":
            self.marker = "- "
            self.list_depth += 1
            self.walk(node)
            self.list_depth -= 1
        elif tag == "blockquote":
            self.quote_depth += 1
            self.walk(node)
            self.flush()
            self.quote_depth -= 1
        else:
            self.walk(node)
        self.flush()
        self.marker = ""


def _text_of(node: Node):
    for child in node.children:
        if isinstance(child, str):
            yield child
        elif child.tag == "br":
            yield "\n"
        elif child.tag not in DROPPED and not child.hidden:
            yield from _text_of(child)


def _find(node: Node, tag: str) -> list[Node]:
    """Outermost elements named `tag`, outside dropped elements, in document order."""
    found = []
    for child in node.children:
        if isinstance(child, str) or child.tag in DROPPED or child.hidden:
            continue
        if child.tag == tag:
            found.append(child)
        else:
            found.extend(_find(child, tag))
    return found


def _has_text(node: Node) -> bool:
    return bool("".join(_text_of(node)).strip())


def main_content(root: Node) -> list[Node]:
    """The page's content: its `<main>`, else its articles, else the whole document."""
    for tag in ("main", "article"):
        chosen = [node for node in _find(root, tag) if _has_text(node)]
        if chosen:
            return chosen[:1] if tag == "main" else chosen
    return [root]


def html_to_text(html: str) -> str:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    writer = _TextWriter()
    for node in main_content(builder.root):
        writer.element(node) if node is not builder.root else writer.walk(node)
        writer.flush()
    if not writer.blocks:
        return ""
    return "\n\n".join(writer.blocks) + "\n"
