"""Input hygiene: whatever bytes arrive, the stored text is valid UTF-8 with '\\n' line ends."""

from __future__ import annotations

import re
import unicodedata

from leadjournal.errors import UsageError

REPLACEMENT = "\ufffd"
_TAG = re.compile(r"[^\s,]+")
# An inline tag: '#' at the start or after anything but a letter, digit, '&' or '/' (no URL
# fragments, C#, &#39;), then letters, digits, '-', '_'. A heading's '#'s are followed by a
# space or the line's end, so they never match.
_INLINE_TAG = re.compile(r"(?<![^\W_])(?<![&/])#([\w-]+)")


# The characters that control a terminal (DESIGN.md section 18): C0 but newline and tab,
# DEL, and C1. ESC starts every escape sequence (clear the screen, retitle the window, a
# hyperlink), and a C1 CSI or OSC does the same alone; once ESC is shown as text, the rest
# of its sequence is plain characters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    return f"\\x{ord(match[0]):02x}"


def visible(text: str) -> str:
    """Data as a terminal may show it: every control character but newline and tab made
    visible as an escape ('\\x1b'), so no data can move the cursor, clear the screen or
    retitle the window. The one seam every human rendering of data goes through (render's
    escape, plain lines and paint, the console's messages); --json never does."""
    if _CONTROL.search(text) is None:
        return text
    return _CONTROL.sub(_picture, text)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_bytes(data: bytes) -> tuple[str, int]:
    """Decode UTF-8 input; bytes that are not UTF-8 become U+FFFD. Returns (text, replaced)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8", errors="replace")
    replaced = text.count(REPLACEMENT) - data.count(REPLACEMENT.encode())
    return normalize_newlines(text), replaced


def clean_str(text: str) -> tuple[str, int]:
    """Make a str from argv or a parser safe to store. Undecodable bytes that Python kept as
    lone surrogates (surrogateescape) and any other lone surrogate become U+FFFD; line ends
    become '\n'. Returns (text, number of characters replaced)."""
    return normalize_newlines(scrub(text)), _replaced_count(text)


def scrub(text: str) -> str:
    """Only the surrogate repair of clean_str: what the models apply to every string."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return text
    # Re-pair surrogate halves first ("\ud83d\ude4c" from a parser), then map the
    # surrogateescape range back to its bytes and decode, replacing whatever is left.
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    out = bytearray()
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:
            out.append(code - 0xDC00)
        elif 0xD800 <= code <= 0xDFFF:
            out += REPLACEMENT.encode()
        else:
            out += char.encode("utf-8")
    return out.decode("utf-8", errors="replace")


def _replaced_count(text: str) -> int:
    return scrub(text).count(REPLACEMENT) - text.count(REPLACEMENT)


def normalize_tag(raw: str) -> str:
    """'#Team' and '@team' are the tag 'team'. Tags are single words."""
    tag, _ = clean_str(raw.strip())
    tag = tag.lstrip("#@").strip().lower()
    if not tag or not _TAG.fullmatch(tag):
        raise UsageError(
            f"'{raw}' is not a tag. A tag is one word without spaces or commas, e.g. --tag team."
        )
    return tag


def inline_tags(text: str) -> list[str]:
    """The tags written in the text as '#word' (lowercased, first use first, no repeats);
    a word needs at least one letter ('#1' is not a tag)."""
    found = (m[1].lower() for m in _INLINE_TAG.finditer(text))
    return list(dict.fromkeys(tag for tag in found if any(c.isalpha() for c in tag)))


# The combining marks that decomposing leaves behind accented letters (in C, not per char).
# Compiled on the first text that is not ASCII (~0.4 ms, DESIGN.md section 8b).
_COMBINING = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"


def fold(text: str) -> str:
    """For searching: case and accents ignored ('Café' and 'CAFE' both fold to 'cafe')."""
    if text.isascii():
        return text.lower()
    return re.sub(_COMBINING, "", unicodedata.normalize("NFKD", text.casefold()))


def folded_spans(text: str, needle: str) -> list[tuple[int, int]]:
    """Where the folded `needle` occurs in `text`, as (start, end) offsets into `text`."""
    target = fold(needle)
    if not target:
        return []
    folded: list[str] = []
    owner: list[int] = []  # for each folded character, the index of its original one
    for index, char in enumerate(text):
        for piece in fold(char):
            folded.append(piece)
            owner.append(index)
    flat = "".join(folded)
    spans = []
    start = flat.find(target)
    while start >= 0:
        end = start + len(target)
        spans.append((owner[start], owner[end - 1] + 1))
        start = flat.find(target, end)
    return spans


def word_count(text: str) -> int:
    return len(text.split())
