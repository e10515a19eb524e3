"""Kept only for ``reports/views.py``, which draws the dashboard's two progress bars with it:
the registrations' pages include ``registrations/_progress.html`` themselves. To delete once
``grep -rn "registrations.tables" reports/`` finds nothing."""

from django.template.loader import render_to_string


def progress_html(progress, *, legend: bool = False) -> str:
    """``registrations/_progress.html`` for ``progress``."""
    return render_to_string(
        "registrations/_progress.html", {"progress": progress, "legend": legend}
    )
