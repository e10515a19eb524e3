"""Counting attempts in Django's cache (shared by every process): at most ``limit`` per
``window`` seconds for a key, whichever process answers."""

import hashlib

from django.core.cache import cache


def _key(scope: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"throttle:{scope}:{digest}"


def throttle_hit(scope: str, values: list[str], *, limit: int, window: int) -> bool:
    """Count one attempt against each of ``values`` (an email, an address ...) and say whether
    every one of them is still within ``limit`` attempts in the window that began with its
    first attempt. The attempt is counted even when refused, so hammering does not reopen it."""
    allowed = True
    for value in values:
        if not value:
            continue
        key = _key(scope, value)
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
        if count > limit:
            allowed = False
    return allowed
