"""Text helpers for Vietnamese: matching that ignores accents and case."""

import unicodedata


def unaccent(text: str) -> str:
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def search_key(text: str) -> str:
    """Lower case, without accents, single spaces: "CĐCS Đông Á" -> "cdcs dong a"."""
    return " ".join(unaccent(text).lower().split())
