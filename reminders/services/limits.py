"""The sizes every part of the dispatch shares, read at call time (``limits.BATCH``) so that a
test may make them small."""

BATCH = 1000
# At most this many unit names are listed under one parent in a digest or a reviewer's notice.
LIST_LIMIT = 30
MAX_ATTEMPTS = 5
