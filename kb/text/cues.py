"""One vocabulary of calls to action, shared by the importer and the extractor.

The importer sets a paragraph's closing calls to action apart as boilerplate; the extractor
proposes no claim from one. Both ask `is_call_to_action(sentence)`.

A sentence is a call to action when it holds a stock phrase that only a call to action uses
("share your thoughts", "in the comments below", "click here"), or when it *starts* with an
imperative addressed to the reader ("Subscribe to…", "Sign up now", "Read more:"). A word such
as "newsletter", "register", "subscribe" or "read more" inside a factual sentence is no cue:
"The figure was first published in the IRGC newsletter in March 2021." is a fact, and so is
"Register of weapons was kept by the IRGC in 2019." (a noun, not an imperative).
"""
from __future__ import annotations

import re

# Phrases that mean "you, the reader, do this" wherever they stand in a sentence.
STOCK_PHRASES = (
    r"we invite you to",
    r"share your (?:thoughts|views|opinions?)",
    r"in the comments? (?:below|section)",
    r"comment below",
    r"leave (?:us )?a (?:comment|reply)",
    r"click here",
    r"stay tuned",
    r"like and share",
    r"share this (?:article|post|story)",
    r"follow us on",
    r"follow our (?:latest|live|updates|coverage|page|channel|blog)",
    r"subscribe to our",
    r"sign up (?:for|to) our",
    r"let us know (?:what|how|in)",
    r"keep reading",
    r"continue reading",
)

# Imperatives that open a call to action. Each verb that is also a noun or a plain verb in
# reporting ("Register of weapons…", "Follow-up talks…") needs the words that make it an
# order to the reader.
_END = r"(?=\s*(?:[.!:»→…]|$))"
SENTENCE_OPENERS = (
    rf"subscribe(?:\s+(?:to|now|today|here|for|and)\b|{_END})",
    rf"sign up(?:\s+(?:now|today|here|for|to|and)\b|{_END})",
    rf"register(?:\s+(?:now|today|here|for|online)\b|{_END})",
    rf"donate(?:\s+(?:now|today|here|to)\b|{_END})",
    r"follow (?:us|our|me|along)\b",
    r"click (?:here|on|the|this|below|to)\b",
    r"check out\b",
    r"download (?:the|our|it|now|here|a)\b",
    r"contact us\b",
    r"share (?:this|your|with)\b",
    r"(?:join|like|visit) (?:us|our)\b",
    r"leave a (?:comment|reply)\b",
    r"(?:tell|let) us (?:know|what|how)\b",
    r"(?:don't|do not|don’t) (?:forget|miss)\b",
    r"for more (?:insights|information|updates|news|details|analysis)\b",
    rf"(?:read|learn|find out|discover|see) more(?:\s+(?:about|at|here|on|from)\b|{_END})",
)

# Bullets and Markdown marks before the first word; quotation marks are kept, so reported
# speech ("'Follow us,' he said") is not taken for the document's own call.
_LEAD = r"^[\s\-*+•·–>#_]*(?:please\s+)?"
_PHRASE = re.compile(r"\b(?:" + "|".join(STOCK_PHRASES) + r")\b", re.I)
_OPENER = re.compile(_LEAD + r"(?:" + "|".join(SENTENCE_OPENERS) + r")", re.I)


# A word (lower case) that each stock phrase holds: without one, the phrases are not searched for.
_PHRASE_WORDS = ("invite you", "share", "comment", "leave", "click here", "stay tuned", "follow ", "subscribe to",
                 "sign up", "let us know", "keep reading", "continue reading")


def is_call_to_action(sentence: str) -> bool:
    """Whether the sentence asks the reader to comment, follow, subscribe, click or read on."""
    if _OPENER.match(sentence):
        return True
    low = sentence.lower()
    return any(word in low for word in _PHRASE_WORDS) and bool(_PHRASE.search(sentence))
