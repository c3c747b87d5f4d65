"""Reading a boundaries file: a local path or an http(s) URL, size-capped, parsed as JSON."""

from __future__ import annotations

import json

from events.data_files import DataFileError, read_bytes

MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
URL_TIMEOUT_SECONDS = 20


class BoundaryError(DataFileError):
    """The boundaries file cannot be loaded; `errors` lists every problem (nothing was written)."""


def read_source(source: str) -> object:
    """The parsed JSON of a file path or an http(s) URL; BoundaryError with the reason if not."""
    raw = read_bytes(source, max_bytes=MAX_DOWNLOAD_BYTES, timeout=URL_TIMEOUT_SECONDS, error=BoundaryError)
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError([f"{source} is not valid JSON: {exc}"]) from exc
