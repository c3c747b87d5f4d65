"""Reading a boundaries file: a local path or an http(s) URL, size-capped, parsed as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from events import geocoding

MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
URL_TIMEOUT_SECONDS = 20
MAX_REPORTED_ERRORS = 20


class BoundaryError(Exception):
    """The file cannot be loaded; `errors` lists every problem found (nothing was written)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more problem(s)"] if more else [])))


def read_source(source: str) -> object:
    """The parsed JSON of a file path or an http(s) URL; BoundaryError with the reason if not."""
    too_large = BoundaryError([f"{source} is larger than {MAX_DOWNLOAD_BYTES // 2**20} MB."])
    try:
        if source.startswith(("http://", "https://")):
            raw = geocoding.download(source, timeout=URL_TIMEOUT_SECONDS, max_bytes=MAX_DOWNLOAD_BYTES)
        else:
            path = Path(source)
            if path.stat().st_size > MAX_DOWNLOAD_BYTES:
                raise too_large
            raw = path.read_bytes()
    except BoundaryError:
        raise
    except ValueError:
        raise too_large from None
    except OSError as exc:  # missing file, network down, timeout, HTTP error
        raise BoundaryError([f"Cannot read {source}: {exc}"]) from exc
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError([f"{source} is not valid JSON: {exc}"]) from exc
