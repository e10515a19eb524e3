"""Keep the Vietnamese translations complete.

    python scripts/po.py update            # collect the strings of the code and templates
    python scripts/po.py missing           # list msgids that have no Vietnamese yet (JSON)
    python scripts/po.py fill FILE.json    # {"msgid": "bản dịch", "plural msgid": ["bản dịch"],
                                           #  "context\u0004msgid": "…"}; only empty or fuzzy
                                           #  entries are filled unless --force is given

Every step holds a lock, so several people can work on the one catalogue in turn.
"""

import fcntl
import json
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
LOCK = Path("/tmp/emulation-po.lock")


def update() -> None:
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "vi",
            "--no-location",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=var/*",
            "--ignore=static/*",
            "--ignore=tests/*",
            "--ignore=benchmarks/*",
            "--ignore=scripts/*",
        ],
        cwd=ROOT,
        check=True,
    )
    po = polib.pofile(str(PO))
    po.metadata["Language"] = "vi"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()


def missing() -> list:
    po = polib.pofile(str(PO))
    return [
        {"msgid": e.msgid, "context": e.msgctxt, "plural": e.msgid_plural or None}
        for e in po
        if not e.obsolete and ("fuzzy" in e.flags or not (e.msgstr or e.msgstr_plural.get(0)))
    ]


def fill(path: str, *, force: bool = False) -> int:
    translations = json.loads(Path(path).read_text(encoding="utf-8"))
    po = polib.pofile(str(PO))
    count = 0
    for entry in po:
        # An entry with a context is named "context\u0004msgid", as gettext itself does.
        key = f"{entry.msgctxt}\u0004{entry.msgid}" if entry.msgctxt else entry.msgid
        if key not in translations:
            continue
        translated = entry.msgstr or entry.msgstr_plural.get(0)
        if translated and "fuzzy" not in entry.flags and not force:
            continue  # never overwrite a translation someone confirmed
        value = translations[key]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value[0] if isinstance(value, list) else value}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        count += 1
    po.save()
    return count


def main() -> None:
    command = sys.argv[1] if len(sys.argv) > 1 else "missing"
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if command == "update":
            update()
            print(f"{len(missing())} strings have no Vietnamese yet.")
        elif command == "fill":
            force = "--force" in sys.argv[3:]
            print(
                f"{fill(sys.argv[2], force=force)} strings filled; {len(missing())} still missing."
            )
        else:
            print(json.dumps(missing(), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
