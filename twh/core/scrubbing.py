"""What counts as a contact detail in logs, error reports and error-tracking events.

Shared floor: imports no app and no Django model, so settings (logging, Sentry) can use it.
"""

import re

# Keys whose values are private wherever they turn up: submitted form data, cleaned_data,
# service arguments, outbox recipients.
PRIVATE_KEY = re.compile(r"contact|email|phone|address|latitude|longitude|^to$|^name$", re.I)
EMAIL_OR_PHONE = re.compile(r"[^\s@'\"<>]+@[^\s@'\"<>]+|\+?\d[\d ().-]{6,}\d")
FILTERED = "[Filtered]"


def scrub_text(text: str, substitute: str = FILTERED) -> str:
    """The text with every email address and phone number replaced."""
    return EMAIL_OR_PHONE.sub(substitute, text)


def scrub(value, *, substitute: str = FILTERED, keep: frozenset[str] = frozenset(), depth: int = 0):
    """A copy of a JSON-like value without contact details: private keys' values replaced,
    emails and phone numbers in strings replaced. Keys in `keep` are copied as they are."""
    if depth > 20:
        return substitute
    if isinstance(value, dict):
        return {
            key: item if key in keep
            else substitute if isinstance(key, str) and PRIVATE_KEY.search(key)
            else scrub(item, substitute=substitute, keep=keep, depth=depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(scrub(item, substitute=substitute, keep=keep, depth=depth + 1) for item in value)
    if isinstance(value, str):
        return scrub_text(value, substitute)
    return value
