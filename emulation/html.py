"""Writing HTML in Python for the long tables and hot pages (the reviewer's queue, the
consolidation, the dashboard): escaping as Django's templates escape, without their per-node
cost, and addresses reversed once per process.

Every value written into markup goes through :func:`escape` (or :func:`format_html`), exactly
as ``{{ value }}`` would in a template with autoescaping on."""

import html
import threading

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

EMPTY = mark_safe("")


def escape(value) -> str:
    """As Django's ``conditional_escape``, without its lazy-string wrapper (a few µs a call,
    a thousand calls a table)."""
    if type(value) is str:  # most values: no markup of their own to look for
        return html.escape(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def format_html(format_string: str, *args) -> SafeString:
    """As ``django.utils.html.format_html``, with :func:`escape`."""
    return mark_safe(format_string.format(*(escape(arg) for arg in args)))


def format_html_join(sep: str, format_string: str, args_generator) -> SafeString:
    return mark_safe(sep.join(format_html(format_string, *args) for args in args_generator))


def join(parts) -> SafeString:
    """Pieces of markup, already escaped, as one safe string."""
    return mark_safe("".join(parts))


_URL_FORMATS: dict = {}
_SENTINEL = 987654320


def url_format(name: str, count: int) -> str:
    """The URL ``name`` as a format string of its ``count`` integer arguments (``{0}``,
    ``{1}`` ...): ``reverse`` once per process (and address prefix), not once per page or per
    row; ``url_format("registrations:summary", 2).format(campaign.pk, unit.pk)``."""
    urlconf = get_urlconf()
    key = (name, count, get_script_prefix(), urlconf, get_resolver(urlconf))
    found = _URL_FORMATS.get(key)
    if found is None:
        sentinels = [_SENTINEL + index for index in range(count)]
        found = reverse(name, args=sentinels).replace("{", "{{").replace("}", "}}")
        for index, sentinel in enumerate(sentinels):
            found = found.replace(str(sentinel), f"{{{index}}}")
        _URL_FORMATS[key] = found
    return found


def url(name: str, *args) -> str:
    """``reverse(name, args=args)`` for integer arguments, from :func:`url_format`."""
    return url_format(name, len(args)).format(*args)


class Fragments:
    """Markup written from a row of figures, kept in the process under everything it is
    written from (the key: the row's figures, names and links, the language): the same key
    always gives the same markup, so nothing here can go stale. After a change, the rows of a
    table whose figures did not change are not written again. At most ``size`` fragments, the
    oldest dropped first (reading takes no lock: a dictionary read is atomic)."""

    def __init__(self, size: int = 8192):
        self.size = size
        self._items: dict = {}
        self._lock = threading.Lock()

    def get(self, key) -> str | None:
        return self._items.get(key)

    def put(self, key, text: str) -> str:
        with self._lock:
            self._items[key] = text
            while len(self._items) > self.size:
                del self._items[next(iter(self._items))]
        return text

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
