"""Acts that cannot be undone ask first, all in one way: a page that says what will happen.

The view of such an act answers a POST that does not carry ``confirmed=1`` with
:func:`confirmation_page`: a heading asking the question, the consequences (how many, what
changes), the units or people affected, and a form that posts the same fields again with
``confirmed=1``, beside a link that goes back without doing anything. A plain page with a
heading, a list, a button and a link: it works without JavaScript and reads in order with a
screen reader. Uploaded files are not carried over, so no act that takes files asks this way.

    if not is_confirmed(request):
        return confirmation_page(request, Confirmation(question=..., consequences=[...], ...))
    services.session_close(...)
"""

from dataclasses import dataclass, field

from django.http import HttpResponse
from django.shortcuts import render

CONFIRMED = "confirmed"
# What the page lists at most: the count in the question says how many there are in all.
MAX_LISTED = 200


@dataclass
class Affected:
    """One unit, person or item the act concerns: its name, a detail, a link to look at it."""

    label: str
    detail: str = ""
    url: str = ""


@dataclass
class Confirmation:
    question: str  # the heading: "Close the session and count the ballots?"
    consequences: list[str]  # what will happen, one sentence each
    button: str  # the label of the button that does it
    cancel_url: str  # where "Cancel" goes back to, with nothing done
    affected: list[Affected] = field(default_factory=list)
    affected_title: str = ""  # the heading of the list of those affected
    danger: bool = False  # a red button (closing, issuing) rather than a green one
    # The fields posted again with the confirmation; None: those of the request (its POST).
    fields: list[tuple[str, str]] | None = None


def is_confirmed(request) -> bool:
    """Whether the request is the confirmed POST of the act."""
    return request.method == "POST" and request.POST.get(CONFIRMED) == "1"


def posted_fields(request) -> list[tuple[str, str]]:
    """The fields of the request's POST (every value of each), but its CSRF token and the
    confirmation itself, to post again."""
    skip = {"csrfmiddlewaretoken", CONFIRMED}
    return [
        (name, value)
        for name, values in request.POST.lists()
        if name not in skip
        for value in values
    ]


def confirmation_page(
    request,
    confirmation: Confirmation,
    *,
    base_template: str = "base.html",
    action: str = "",
    context: dict | None = None,
) -> HttpResponse:
    """The page that asks: it posts to ``action`` (the request's own address by default)."""
    fields = confirmation.fields if confirmation.fields is not None else posted_fields(request)
    listed = confirmation.affected[:MAX_LISTED]
    return render(
        request,
        "confirm.html",
        {
            **(context or {}),
            "confirmation": confirmation,
            "fields": fields,
            "listed": listed,
            "not_listed": len(confirmation.affected) - len(listed),
            "action": action or request.get_full_path(),
            "base_template": base_template,
        },
    )
