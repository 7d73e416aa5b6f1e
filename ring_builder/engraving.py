"""What may be engraved inside a ring: a short line of letters, numbers, spaces and a little punctuation.

The limit is what the workshop can cut legibly inside a band; control characters, emoji and markup are refused
rather than silently dropped, so the shopper sees exactly what will be engraved."""

from __future__ import annotations

import re
import unicodedata

MAX_LENGTH = 20
ALLOWED_PUNCTUATION = ".,'&-!?+:♥"
# \w is any letter or digit in any script (and "_", which we refuse separately below).
_ALLOWED = re.compile(r"[\w " + re.escape(ALLOWED_PUNCTUATION) + r"]*")
CHARACTERS_HELP = "letters, numbers, spaces and . , ' & - ! ? + : ♥"


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def engraving_problems(text: str) -> list[str]:
    """Every reason `text` cannot be engraved (empty: it can)."""
    problems = []
    if len(text) > MAX_LENGTH:
        problems.append(f"An engraving holds up to {MAX_LENGTH} characters; yours has {len(text)}.")
    if not _ALLOWED.fullmatch(text) or "_" in text:
        problems.append(f"An engraving can use {CHARACTERS_HELP} only.")
    return problems
