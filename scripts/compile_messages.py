"""Check and compile every locale/*/LC_MESSAGES/django.po into its .mo.

Fails (exit 1) on what `msgfmt --check` fails on (broken placeholders, plural headers, format
errors) and on a translation whose placeholders differ from the English. The .mo files are
compiled with polib and committed, so a fresh machine serves every language without gettext;
the gettext check runs wherever `msgfmt` is installed (CI installs it).
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from twh.catalogs import placeholder_problems  # noqa: E402


def msgfmt_errors(po_path: Path) -> str:
    """What `msgfmt --check` says about the catalog; empty when it passes or is not installed."""
    if shutil.which("msgfmt") is None:
        return ""
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po_path)], capture_output=True, text=True
    )
    return result.stderr.strip() if result.returncode else ""


def main() -> int:
    count = failures = 0
    for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/django.po")):
        name = po_path.relative_to(ROOT)
        catalog = polib.pofile(str(po_path))
        errors = msgfmt_errors(po_path)
        problems = placeholder_problems(catalog)
        if errors or problems:
            failures += 1
            print(f"{name}: NOT compiled", file=sys.stderr)
            for line in [errors, *problems]:
                if line:
                    print(f"  {line}", file=sys.stderr)
            continue
        catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
        print(f"{name}: {catalog.percent_translated()}% translated")
    return 0 if count and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
