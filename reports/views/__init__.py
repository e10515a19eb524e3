"""Pages of the phase reports, by topic: ``base`` (what every page loads and checks),
``report`` (the start page and one unit's report), ``figures`` (the upper units' queue,
roll-up, summary PDF, dashboard and inbox) and ``config`` (indicators and reporting dates)."""
