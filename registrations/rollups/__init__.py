"""Counters of registrations per branch of the union tree, kept by the services, by topic:
``recording`` (what counts, the tables' keys and ``record``), ``rebuilding`` (``rebuild`` and
the partial rebuilds), ``tree`` (changes of the tree; connects the ``tree_changed`` receiver)
and ``reads`` (the reads of the counters)."""
