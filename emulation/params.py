"""Reading ids and whole numbers from a query string or a posted form.

A value a person may type or edit in an address is never trusted to be a number the database
can hold: only ASCII digits are read (``"²".isdigit()`` is true in Python, yet ``int("²")``
fails), and only up to the largest key of a 64-bit column (``2**70`` would overflow it). A
missing value is ``None``; anything else that is not such a number answers 400 Bad Request.
"""

from django.core.exceptions import BadRequest

# The largest value of a BigAutoField (and of PostgreSQL's bigint).
MAX_ID = 2**63 - 1


def to_int(value, *, maximum: int = MAX_ID) -> int | None:
    """``value`` as a whole number from 0 to ``maximum`` when it is written with ASCII digits
    only, else ``None``."""
    text = str(value).strip() if value is not None else ""
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= maximum else None


def int_param(data, name: str, *, maximum: int = MAX_ID) -> int | None:
    """The number ``data[name]`` (``request.GET`` or ``request.POST``), ``None`` when it is
    absent or empty; 400 when it is anything but a number a column can hold."""
    value = data.get(name, "")
    if value is None or str(value).strip() == "":
        return None
    number = to_int(value, maximum=maximum)
    if number is None:
        raise BadRequest(f"{name} is not a whole number.")
    return number


def int_list_param(data, name: str, *, maximum: int = MAX_ID) -> list[int]:
    """Every number given as ``name`` (``?ids=1&ids=2``), empty ones skipped; 400 when one of
    them is not a number a column can hold."""
    numbers = []
    for value in data.getlist(name):
        if str(value).strip() == "":
            continue
        number = to_int(value, maximum=maximum)
        if number is None:
            raise BadRequest(f"{name} holds a value that is not a whole number.")
        numbers.append(number)
    return numbers
