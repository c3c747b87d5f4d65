"""Reading a data file staff load (area boundaries, residents per area): a local path or an
http(s) URL, size-capped, every problem reported together (and nothing written when any is found).
"""

from __future__ import annotations

from pathlib import Path

from events import geocoding

MAX_REPORTED_ERRORS = 20


class DataFileError(Exception):
    """The file cannot be loaded; `errors` lists every problem found (nothing was written)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:MAX_REPORTED_ERRORS]
        more = len(errors) - len(shown)
        super().__init__("\n".join(shown + ([f"... and {more} more problem(s)"] if more else [])))


def read_bytes(source: str, *, max_bytes: int, timeout: float,
               error: type[DataFileError] = DataFileError) -> bytes:
    """The bytes of a file path or an http(s) URL (through events.geocoding.download, the one
    network client); `error` with the reason if it cannot be read or is larger than `max_bytes`."""
    too_large = error([f"{source} is larger than {max_bytes // 2**20} MB."])
    try:
        if source.startswith(("http://", "https://")):
            return geocoding.download(source, timeout=timeout, max_bytes=max_bytes)
        path = Path(source)
        if path.stat().st_size > max_bytes:
            raise too_large
        return path.read_bytes()
    except DataFileError:
        raise
    except ValueError:
        raise too_large from None
    except OSError as exc:  # missing file, network down, timeout, HTTP error
        raise error([f"Cannot read {source}: {exc}"]) from exc
