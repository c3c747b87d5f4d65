"""Compile every locale/*/LC_MESSAGES/django.po into its .mo with polib (no gettext needed).

The .mo files are committed so that a fresh machine serves every language without gettext.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    count = 0
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/django.po")):
        catalog = polib.pofile(str(po_path))
        catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
        print(f"{po_path.relative_to(ROOT)}: {catalog.percent_translated()}% translated")
    return 0 if count else 1


if __name__ == "__main__":
    sys.exit(main())
