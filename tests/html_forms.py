"""The POST forms of a page as a browser would submit them, for tests that post what a page
shows (with one value changed)."""

from html.parser import HTMLParser


class Forms(HTMLParser):
    """The POST forms of a page: their action and their fields as (name, value shown, typed):
    ``typed`` is false for hidden inputs and buttons, the value None for a box not ticked."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self._form = {"action": a.get("action") or "", "fields": []}
                self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            value = a.get("value") or ""
            if self._select[1] is None or "selected" in a:
                self._select[1] = value
            return
        if self._form is None or not a.get("name"):
            return
        name = a["name"]
        if name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                if kind == "submit":
                    self._form["fields"].append((name, a.get("value") or "", False))
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                # Not sent by a browser; a value to try.
                self._form["fields"].append((name, None, True))
                return
            self._form["fields"].append((name, a.get("value") or "", kind != "hidden"))
        elif tag == "select":
            self._select = [name, None, ""]
        elif tag == "textarea":
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if self._form is not None:
                self._form["fields"].append((self._select[0], self._select[1] or "", True))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:
                # A browser drops the line break that follows <textarea>.
                value = self._textarea[1]
                value = value[1:] if value.startswith("\n") else value
                self._form["fields"].append((self._textarea[0], value, True))
            self._textarea = None


def form_values(response) -> dict:
    """The fields of the page's own POST form (the largest one posting to the page itself)
    with the values it shows, as a browser would send them (ticked boxes only, no button),
    for ``client.post``."""
    parser = Forms()
    parser.feed(response.content.decode("utf-8"))
    path = response.wsgi_request.path
    own = [f for f in parser.forms if f["action"] in ("", path)]
    form = max(own, key=lambda f: len(f["fields"]))
    values: dict = {}
    for name, value, typed in form["fields"]:
        if value is None or (not typed and name == "action"):
            continue
        if name in values:
            previous = values[name]
            values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            values[name] = value
    return values


def shown_by(client, url: str) -> dict:
    """The version an edit page shows (its hidden ``shown`` field), to post with made-up data
    as the page would."""
    return {"shown": form_values(client.get(url))["shown"]}
