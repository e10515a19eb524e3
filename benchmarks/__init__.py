"""Page benchmarks: ``python -m benchmarks --help`` (or ``make bench``).

The harness builds a union tree of a chosen size in a throw-away database, logs personas in
with Django's test client, requests each registered page through the full middleware and
prints p50/p95 times, SQL query counts and the ratio to a "floor" page that renders only
``base.html``. See docs/benchmarks.md.
"""
