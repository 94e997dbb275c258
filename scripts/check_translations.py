"""Fail when a user-facing string lacks its Italian or English translation.

Runs makemessages on a copy of the catalogues, so it also catches strings added
to the code but never extracted, and leaves the working tree untouched.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "retefamiglie" / "locale"
LANGUAGES = ["it", "en"]


def statistics(po_file: Path) -> tuple[int, int, int]:
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stderr

    def count(word: str) -> int:
        found = re.search(rf"(\d+) {word}", text)
        return int(found.group(1)) if found else 0

    return count("translated"), count("fuzzy"), count("untranslated")


def main() -> int:
    with tempfile.TemporaryDirectory() as backup:
        backup_dir = Path(backup) / "locale"
        shutil.copytree(LOCALE, backup_dir)
        try:
            subprocess.run(
                [
                    sys.executable,
                    "manage.py",
                    "makemessages",
                    *[f"-l{code}" for code in LANGUAGES],
                    "--ignore=.venv",
                    "--ignore=node_modules",
                    "--ignore=var",
                    "--ignore=tests",
                    "--no-obsolete",
                    "-v0",
                ],
                cwd=ROOT,
                check=True,
            )
            failures = []
            for code in LANGUAGES:
                po_file = LOCALE / code / "LC_MESSAGES" / "django.po"
                translated, fuzzy, untranslated = statistics(po_file)
                print(
                    f"{code}: {translated} translated, {fuzzy} fuzzy, "
                    f"{untranslated} untranslated"
                )
                if fuzzy or untranslated:
                    failures.append(code)
        finally:
            shutil.rmtree(LOCALE)
            shutil.copytree(backup_dir, LOCALE)
    if failures:
        print(
            "Incomplete translations: " + ", ".join(failures) + ". Run `make messages`"
            " and translate every entry."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
