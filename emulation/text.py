"""Text helpers for Vietnamese: matching that ignores accents and case, names stored in one
Unicode form, and the limits of long texts."""

import unicodedata

# The longest texts a person may type: an achievement summary, a story, a plan's chapter (about
# eight printed pages) and a comment or a commitment. Enforced by the forms and the models.
LONG_TEXT_LIMIT = 20_000
SHORT_TEXT_LIMIT = 5_000

# Characters that break a line (Unicode's, not only "\n"): refused in names.
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def nfc(text: str) -> str:
    """The composed form of a text (NFC): "Hòa" typed as "Ho" + "a" + a combining grave accent
    (NFD, as macOS and some Vietnamese keyboards send it) is stored as the same characters as
    "Hòa" typed composed, so that searches, sorting and uniqueness see one name."""
    return unicodedata.normalize("NFC", str(text or ""))


def has_line_break(text: str) -> bool:
    return any(ch in LINE_BREAKS for ch in str(text or ""))


def normalize_name(text: str) -> str:
    """A name as stored: NFC, spaces around it removed and runs of spaces made one."""
    return " ".join(nfc(text).split())


def unaccent(text: str) -> str:
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def search_key(text: str) -> str:
    """Lower case, without accents, single spaces: "CĐCS Đông Á" -> "cdcs dong a"."""
    return " ".join(unaccent(text).lower().split())
