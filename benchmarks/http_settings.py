"""The settings gunicorn runs with under ``python -m benchmarks --http``: the project's own,
read with ``DJANGO_ENV=production`` (the harness sets it), and only two things changed.

- ``STATIC_ROOT`` is the benchmark's own folder (``BENCH_STATIC_ROOT``), so that collecting the
  static files for the run never touches the checkout's ``staticfiles/``.
- The cache: the project's ``CACHES`` when its settings define one (from ``CACHE_URL``),
  otherwise built here from ``CACHE_URL`` (Redis); in both cases under a key prefix of this run
  (``BENCH_CACHE_PREFIX``), whose keys the harness deletes afterwards.
"""

import os
from pathlib import Path

import environ

from emulation import settings as _project
from emulation.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])

if getattr(_project, "CACHES", None):
    CACHES = {name: dict(config) for name, config in _project.CACHES.items()}
elif os.environ.get("CACHE_URL"):
    CACHES = {"default": environ.Env().cache_url("CACHE_URL")}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "bench-http")
