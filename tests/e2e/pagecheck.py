"""What the browser tests check on every page besides its own content: accessibility with
axe-core and the validity of its HTML with the Nu HTML checker (vnu).

- :func:`axe_problems` runs axe-core's WCAG 2.1 A and AA rules in the page as it stands (menus
  opened, errors shown) and returns its serious and critical violations. axe-core comes from the
  npm registry (``tests/e2e/vendor/axe-core``, with its licence), never from a CDN.
- :class:`Documents` keeps the HTML of each page the server sent; :func:`vnu_problems` checks
  them all in one run of vnu. vnu is Java: it needs ``java`` (Debian's ``default-jre-headless``,
  installed by ``make test`` when missing) and ``var/vnu/vnu.jar`` (the npm package
  ``vnu-jar``, fetched by ``make test`` and ``make vnu``; ``VNU_JAR`` names another copy);
  :func:`vnu_missing` says which is missing, for the test to be skipped with that reason.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")

# axe.run over the document; each violation with the elements it found (their selector and
# what is wrong, e.g. "Element has insufficient color contrast of 1.63 (foreground color:
# #ffc107, background color: #ffffff ...)").
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ') + ': ' +
      (n.failureSummary || '').split('\\n').slice(1).join(' ').trim()),
  }));
}"""


def axe_problems(page, name: str = "") -> list[str]:
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds in ``page`` now.

    The script is evaluated through the browser's devtools channel rather than inserted with
    ``page.add_script_tag(path=AXE_JS)``: that inserts an inline ``<script>``, which the pages'
    Content-Security-Policy (``script-src 'self'``) rightly refuses, and bypassing the policy
    would hide the policy errors the layout tests look for."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    prefix = f"{name}: " if name else ""
    problems = []
    for violation in page.evaluate(AXE_RUN, AXE_TAGS):
        if violation["impact"] not in BLOCKING:
            continue
        for node in violation["nodes"][:5]:
            problems.append(
                f"{prefix}axe {violation['id']} ({violation['impact']}, {violation['help']}): "
                f"{node}"
            )
        if len(violation["nodes"]) > 5:
            problems.append(f"{prefix}axe {violation['id']}: {len(violation['nodes']) - 5} more")
    return problems


class Documents:
    """The HTML of the pages the server sent to the browser, by name, each once: call
    :meth:`watch` on a page, then :meth:`keep` after each page to keep (the last document the
    page loaded, whether by ``goto``, a link or a form)."""

    def __init__(self):
        self.items: list[tuple[str, str, str]] = []  # (name, address, html)
        self._seen: set[str] = set()
        self._last = {}

    def watch(self, page) -> None:
        def remember(response):
            request = response.request
            if request.resource_type == "document" and response.frame == page.main_frame:
                self._last[id(page)] = response

        page.on("response", remember)

    def keep(self, page, name: str) -> None:
        response = self._last.get(id(page))
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            return
        html = response.text()
        digest = hashlib.sha1(html.encode()).hexdigest()
        if digest in self._seen:
            return
        self._seen.add(digest)
        self.items.append((name, response.url, html))


def vnu_jar() -> Path:
    return Path(os.environ.get("VNU_JAR") or Path(settings.BASE_DIR) / "var" / "vnu" / "vnu.jar")


def vnu_missing() -> str:
    """Why the HTML cannot be checked here ("" when it can)."""
    if not shutil.which("java"):
        return (
            "Java is not installed, so the Nu HTML checker cannot run (install "
            "Debian's default-jre-headless)."
        )
    if not vnu_jar().is_file():
        return (
            f"The Nu HTML checker is not at {vnu_jar()} (make vnu fetches it from the npm "
            "package vnu-jar; VNU_JAR may name another copy)."
        )
    return ""


def vnu_problems(documents: Documents, folder: Path) -> list[str]:
    """The errors vnu finds in every document kept, named by page and line."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {}
    for number, (name, address, html) in enumerate(documents.items):
        path = folder / f"{number:03d}-{re.sub(r'[^A-Za-z0-9-]+', '-', name)[:60]}.html"
        path.write_text(html, encoding="utf-8")
        names[path.resolve().as_uri()] = f"{name} ({address})"
    if not names:
        return []
    run = subprocess.run(
        ["java", "-jar", str(vnu_jar()), "--format", "json", "--stdout", "--exit-zero-always"]
        + sorted(str(folder / Path(uri).name) for uri in names),
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    problems = []
    for message in json.loads(run.stdout)["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        uri = message.get("url", "")
        where = names.get(uri) or names.get(Path(uri.removeprefix("file:")).resolve().as_uri(), uri)
        extract = " ".join((message.get("extract") or "").split())[:120]
        problems.append(
            f"{where} line {message.get('lastLine', '?')}: {message['message']} «{extract}»"
        )
    return problems
