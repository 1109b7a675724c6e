"""Fails when a user-visible string has no Spanish translation, or a translation is fuzzy.

Extracts the strings afresh (makemessages, without source locations so the catalog only changes
when strings do), then reads locale/es/LC_MESSAGES/*.po with polib.
"""

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
IGNORE = [".venv/*", "var/*", "tests/*", "bench/*", "scripts/*", "*/tests/*", "incluye/core/data/*"]


def main() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    args = [
        sys.executable,
        "manage.py",
        "makemessages",
        "-l",
        "es",
        "-l",
        "en",
        "--no-location",
        "--no-obsolete",
        "-v",
        "0",
    ]
    for pattern in IGNORE:
        args += ["-i", pattern]
    subprocess.run(args, cwd=ROOT, env=env, check=True)
    problems = []
    for po_path in sorted((ROOT / "locale" / "es" / "LC_MESSAGES").glob("*.po")):
        catalog = polib.pofile(str(po_path))
        for entry in catalog.untranslated_entries():
            problems.append(f"{po_path.name}: missing Spanish for {entry.msgid!r}")
        for entry in catalog.fuzzy_entries():
            problems.append(f"{po_path.name}: fuzzy Spanish for {entry.msgid!r}")
    if problems:
        print("\n".join(problems))
        print(
            f"The Spanish catalog is incomplete: {len(problems)} entries. Translate them in locale/es/LC_MESSAGES."
        )
        return 1
    subprocess.run(
        [sys.executable, "manage.py", "compilemessages", "--ignore=.venv", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print("Spanish catalog complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
