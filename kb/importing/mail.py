"""E-mail (.eml) to text: sender, date and subject as metadata, the message's text part (or
its HTML part turned into text), quoted replies and signatures set apart, attachments kept
to be imported as sources of their own.

The text begins with the subject (a heading) and the header lines (From, To, Cc, Date,
Subject: boilerplate, so the reader shows them and no claim is mined from them), then the
body. In the body, a run of `>` lines, the "On … wrote:" line that introduces it, and
everything after an "-----Original Message-----" or "From: … Sent: …" block (how Outlook
quotes) are boilerplate noted "quoted reply"; what follows a "-- " line is the signature.
"""
from __future__ import annotations

import email
import email.policy
import re
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import PurePosixPath

from kb.importing import structure as st
from kb.importing.decode import ImportRefused, normalise_newlines
from kb.importing.document import Extracted, TextBuilder

# Attachments imported as their own sources: the formats the pipeline reads.
IMPORTABLE = (".pdf", ".docx", ".txt", ".md", ".markdown", ".html", ".htm", ".eml", ".wiki")
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]", re.M)
_EMAIL_HEADERS = (b"from:", b"date:", b"subject:", b"message-id:", b"mime-version:", b"received:", b"to:")
_QUOTE_INTRO = re.compile(r"^(?:On .{4,200} wrote:|.{2,120} (?:a écrit|schrieb)\s?:)\s*$", re.S)
_ORIGINAL = re.compile(r"^-{2,}\s*(?:Original Message|Forwarded message)\s*-{2,}\s*$", re.I | re.M)
_OUTLOOK_QUOTE = re.compile(r"^From: .+\n(?:Sent|Date): .+", re.M)


def is_email(data: bytes, name: str) -> bool:
    """An .eml file, or bytes that open with mail headers (From, Date, Subject and the like)."""
    if name.lower().endswith(".eml"):
        return True
    head = data[:4096].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    lines = [line for line in head.split(b"\n") if line and not line[:1].isspace()]
    if not lines or not all(_HEADER_LINE.match(line) for line in lines[:3]):
        return False
    names = {line.split(b":", 1)[0].lower() + b":" for line in lines}
    return b"from:" in names and len(names & set(_EMAIL_HEADERS)) >= 3


def _published(message) -> str:
    try:
        when = parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError, IndexError):
        return ""
    return when.date().isoformat() if when else ""


def _sender(message) -> str:
    addresses = getaddresses([str(message.get("From", ""))])
    if not addresses:
        return ""
    name, address = addresses[0]
    return f"{name} <{address}>" if name and address else (name or address)


def _body(message) -> tuple[str, str]:
    """The message's text (and "plain" or "html"), HTML turned into text."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, ValueError):
        raise ImportRefused("encoding", "the e-mail's text is in an encoding that cannot be read") from None
    if not isinstance(content, str):
        return "", ""
    if part.get_content_subtype() == "html":
        from kb.importing.html import html_to_text

        return html_to_text(content), "html"
    return normalise_newlines(content), "plain"


def _add_body(builder: TextBuilder, body: str) -> None:
    """Paragraphs of the body; quoted replies and the signature as boilerplate."""
    quoted_from = len(body)
    for pattern in (_ORIGINAL, _OUTLOOK_QUOTE):
        match = pattern.search(body)
        if match:
            quoted_from = min(quoted_from, match.start())
    own, quoted = body[:quoted_from], body[quoted_from:]
    signature = ""
    if "\n-- \n" in f"\n{own}":
        cut = f"\n{own}".index("\n-- \n")
        own, signature = own[:cut], own[cut:]
    paragraphs = [p for p in re.split(r"\n\s*\n", own) if p.strip()]
    for index, paragraph in enumerate(paragraphs):
        lines = [line for line in paragraph.strip().split("\n") if line.strip()]
        following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
        if all(line.lstrip().startswith(">") for line in lines):
            builder.add(paragraph, st.BOILERPLATE, note="quoted reply")
        elif _QUOTE_INTRO.match(" ".join(lines)) and following.lstrip().startswith(">"):
            builder.add(paragraph, st.BOILERPLATE, note="quoted reply")
        elif any(line.lstrip().startswith(">") for line in lines):
            # An intro line glued to the quote under it: the lines up to the first ">" are
            # the writer's, the rest quoted.
            first = next(i for i, line in enumerate(lines) if line.lstrip().startswith(">"))
            mine = "\n".join(lines[:first])
            kind = st.BOILERPLATE if _QUOTE_INTRO.match(" ".join(lines[:first])) else st.PARAGRAPH
            builder.add(mine, kind, note="quoted reply" if kind == st.BOILERPLATE else "")
            builder.add("\n".join(lines[first:]), st.BOILERPLATE, note="quoted reply", separator="\n")
        else:
            builder.add(paragraph, st.LIST_ITEM if st._LIST_ITEM.match(paragraph) else st.PARAGRAPH)
    builder.add(signature, st.BOILERPLATE, note="signature")
    builder.add(quoted, st.BOILERPLATE, note="quoted reply")


def _attachments(message, limit: int) -> tuple[list[tuple[str, bytes]], list[str]]:
    found, skipped = [], []
    for part in message.iter_attachments():
        name = PurePosixPath(str(part.get_filename() or "").replace("\\", "/")).name or "attachment"
        if not name.lower().endswith(IMPORTABLE):
            skipped.append(name)
            continue
        # The bytes as attached (transfer encoding undone, no charset applied): the attachment's
        # own import decodes them as it would the file.
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            body = inner[0].as_bytes(policy=email.policy.default) if inner else None
        else:
            body = part.get_payload(decode=True)
        if not isinstance(body, bytes) or len(found) >= limit:
            skipped.append(name)
            continue
        found.append((name, body))
    return found, skipped


def read_email(data: bytes, *, max_attachments: int) -> Extracted:
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        subject = " ".join(str(message.get("Subject", "")).split())
        headers = [(field, " ".join(str(message.get(field, "")).split()))
                   for field in ("From", "To", "Cc", "Date", "Subject")]
    except (ValueError, TypeError, IndexError, LookupError, UnicodeError):
        raise ImportRefused("damaged", "the e-mail's headers cannot be read") from None
    if not message.get("From"):
        raise ImportRefused("not_email", "the file is named .eml but has no From header: not an e-mail")
    body, _kind = _body(message)
    builder = TextBuilder()
    if subject:
        builder.add(subject, st.HEADING, level=1, title=subject)
    builder.add("\n".join(f"{field}: {value}" for field, value in headers if value), st.BOILERPLATE,
                note="e-mail headers")
    _add_body(builder, body)
    attachments, skipped = _attachments(message, max_attachments)
    notes = []
    if attachments:
        notes.append(f"{len(attachments)} attachment{'s' if len(attachments) != 1 else ''} to import as sources")
    if skipped:
        notes.append(f"attachments not imported (not a format Claimbook reads): {', '.join(skipped)[:300]}")
    metadata = {"title": subject[:500], "author": _sender(message)[:300], "published": _published(message)}
    return Extracted(text=builder.text, blocks=builder.blocks, format="email",
                     metadata={key: value for key, value in metadata.items() if value},
                     attachments=attachments, notes=notes)
