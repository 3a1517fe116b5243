"""Every file the report commands read (PDFs, certificates, identities, passphrase files) enters through the
project's one bounded reader (guideline_db.case_io.read_bounded): regular files only, the size bounded while
reading, so a FIFO, /dev/zero or a growing file is a located message, never a hang or a MemoryError."""

from __future__ import annotations

from pathlib import Path

from guideline_db.case_io import CaseFileError, read_bounded

MAX_PDF_BYTES = 64 * 1024 * 1024          # a signed summary with embedded fonts is a few MB
MAX_SMALL_FILE_BYTES = 1024 * 1024        # certificates, identities, passphrase and key files


def read_input(path: Path | str, what: str, limit: int = MAX_SMALL_FILE_BYTES) -> bytes:
    """The bytes of `path`; a ValueError naming the file and what it should be when it cannot be used."""
    try:
        data, _ = read_bounded(Path(path), limit)
    except CaseFileError as exc:
        message = "; ".join(exc.problems).removeprefix("(file): ")
        message = message.replace("give the path of a case JSON file", f"give the path of {what}")
        message = message.replace("a case file is at most", f"{what} is at most")
        raise ValueError(message) from None
    return data
