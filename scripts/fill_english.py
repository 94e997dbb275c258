"""Fill the English catalogue: msgids are English, so each msgstr is its msgid."""

import sys
from pathlib import Path

import polib

PO_FILE = (
    Path(__file__).resolve().parent.parent
    / "retefamiglie/locale/en/LC_MESSAGES/django.po"
)


def main() -> int:
    catalogue = polib.pofile(str(PO_FILE), wrapwidth=0)
    catalogue.metadata.update(
        {
            "Project-Id-Version": "retefamiglie",
            "PO-Revision-Date": catalogue.metadata.get("POT-Creation-Date", ""),
            "Last-Translator": "Rete Famiglie developers",
            "Language-Team": "English",
            "Language": "en",
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
    )
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        entry.previous_msgctxt = None
    catalogue.save(str(PO_FILE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
