"""A check that a page in Vietnamese shows no text left in English."""

import re
from functools import cache
from pathlib import Path

import polib
from django.conf import settings


@cache
def _english() -> frozenset:
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale/vi/LC_MESSAGES/django.po"))
    texts = {e.msgid for e in po if e.msgstr and e.msgstr != e.msgid and len(e.msgid) > 3}
    texts.discard("English")  # the language switch names each language in its own
    return frozenset(texts)


def english_texts(body: str) -> list[str]:
    """The text nodes of ``body`` that are English texts of the catalogue (which has a
    different Vietnamese for each): a text the catalogue lost, or one never translated."""
    nodes = {t.strip() for t in re.findall(r">([^<>]+)<", body) if t.strip()}
    return sorted(nodes & _english())
