"""Checks on the translation catalogs, shared by scripts/compile_messages.py and the tests."""

import re
from collections import Counter

import polib

# Python's %-format: %(name)s, %s, %d, %.1f ... (%% is a literal percent sign).
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]+)\))?[#0\- +]*\d*(?:\.\d+)?(?P<type>[sdifr%])")


def placeholders(text: str) -> Counter:
    """The placeholders of `text`, named ones by name and positional ones by type."""
    found = Counter()
    for match in PLACEHOLDER.finditer(text):
        if match["type"] == "%":
            continue
        found[match["name"] or f"#{match['type']}"] += 1
    return found


def placeholder_problems(catalog: polib.POFile) -> list[str]:
    """One line per translation whose placeholders would break or drop the English ones.

    A singular translation must carry exactly the English placeholders. A plural form may leave
    out a named one (Arabic's "one event" needs no number), but never adds one, and the last form,
    used for most counts, carries them all.
    """
    problems = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid or "fuzzy" in entry.flags or "python-format" not in entry.flags:
            continue
        if entry.msgid_plural:
            english = placeholders(entry.msgid) | placeholders(entry.msgid_plural)
            forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
            for index, form in enumerate(forms):
                if not form:
                    continue
                found = placeholders(form)
                extra = set(found) - set(english)
                if extra or (index == len(forms) - 1 and set(found) != set(english)):
                    problems.append(f"{entry.msgid[:60]!r} form {index}: {dict(found)} vs {dict(english)}")
        elif entry.msgstr:
            english, found = placeholders(entry.msgid), placeholders(entry.msgstr)
            if english != found:
                problems.append(f"{entry.msgid[:60]!r}: {dict(found)} vs {dict(english)}")
    return problems
