"""Anchors of the audit chain outside the store file: the head (entry count and hash) at a moment.

Why: the hash chains prove that the rows agree with each other, not that nothing was cut off the end
or recomputed from some point on — anyone with the file can truncate the tail or rewrite it and
re-chain it. A head copied somewhere else at a known moment (the anchor file beside the store after
every commit, every backup, every export manifest, every signed PDF) pins the chain: the store must
still hold entry number `entries` with exactly that `hash`. A store whose chain lacks an anchored
head has lost or rewritten history; `abc-mdt cases verify-audit --against FILE` names which.

The anchor file `<store>.anchor` is JSON `{"entries": N, "hash": "...", "at": "..."}`, written
atomically (temporary file, rename) after each commit, 0600. It only moves forward: a head with fewer
entries never replaces a larger one, so evidence of a lost tail is not overwritten by the next save
(writes are refused anyway while the store disagrees with its anchor; see CaseStore).

`AuditHead.token()` is the one-line form other files embed (the PDF report puts it in its metadata):
`abc-mdt-audit-head:<entries>:<hash>`; `heads_in(path)` finds anchored heads in a backup (SQLite),
an anchor file, an export or its manifest (JSON) or any file holding tokens (a PDF).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from guideline_db.store.schema import GENESIS_HASH

TOKEN_PREFIX = "abc-mdt-audit-head"
_TOKEN = re.compile(rb"abc-mdt-audit-head[:=]\s*(\d{1,18}):([0-9a-f]{64})")
ANCHOR_SUFFIX = ".anchor"
MANIFEST_SUFFIX = ".manifest.json"
MAX_ANCHOR_SOURCE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class AuditHead:
    """The audit chain's head: how many entries it has and the hash of the last one."""

    entries: int
    hash: str

    def token(self) -> str:
        """The form embedded in PDFs and other files: `abc-mdt-audit-head:<entries>:<hash>`."""
        return f"{TOKEN_PREFIX}:{self.entries}:{self.hash}"

    def to_dict(self) -> dict[str, object]:
        return {"entries": self.entries, "hash": self.hash}

    def short(self) -> str:
        return f"entry {self.entries} ({self.hash[:16]}…)"


EMPTY_HEAD = AuditHead(0, GENESIS_HASH)


def head_of(conn: sqlite3.Connection) -> AuditHead:
    row = conn.execute("SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return AuditHead(int(row[0]), str(row[1])) if row else EMPTY_HEAD


def check_head(conn: sqlite3.Connection, head: AuditHead) -> str | None:
    """None when the store's chain contains `head`; else what is wrong (behind, or rewritten)."""
    if head.entries == 0:
        return None
    current = head_of(conn)
    if current.entries < head.entries:
        return (f"the store has {current.entries} audit entries but the anchor holds {head.entries}: "
                "entries were lost (truncated file, deleted WAL, an older copy put in place)")
    row = conn.execute("SELECT entry_hash FROM audit_log WHERE id = ?", (head.entries,)).fetchone()
    if row is None or row[0] != head.hash:
        found = row[0][:16] + "…" if row else "no such entry"
        return (f"audit entry {head.entries} no longer has the anchored hash {head.hash[:16]}… (found {found}): "
                "history was rewritten")
    return None


def anchor_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ANCHOR_SUFFIX)


def read_anchor(store_path: Path) -> AuditHead | None:
    """The head recorded beside the store; None when there is no anchor file (a store made before anchors)."""
    path = anchor_path(store_path)
    try:
        raw = path.read_bytes()[:4096]
    except FileNotFoundError:
        return None
    head = _head_from_json(raw)
    if head is None:
        raise ValueError(f"the anchor file {path} is damaged")
    return head


def write_anchor(store_path: Path, head: AuditHead, at: str, *, force: bool = False) -> None:
    """Record `head` beside the store (atomically, 0600) unless the recorded head is further along."""
    path = anchor_path(store_path)
    if not force:
        with contextlib.suppress(ValueError, OSError):
            current = read_anchor(store_path)
            if current is not None and current.entries >= head.entries:
                return
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, json.dumps({**head.to_dict(), "at": at}).encode("ascii") + b"\n")
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, path)


def _head_from_json(raw: bytes) -> AuditHead | None:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("audit_head"), dict):
        data = data["audit_head"]
    if not isinstance(data, dict):
        return None
    entries, digest = data.get("entries"), data.get("hash")
    if (isinstance(entries, int) and not isinstance(entries, bool) and 0 <= entries < 10**18
            and isinstance(digest, str) and re.fullmatch(r"[0-9a-f]{64}", digest)):
        return AuditHead(entries, digest)
    return None


def heads_in(path: Path) -> list[AuditHead]:
    """Every anchored head `path` carries: a backup, an anchor file, an export (its manifest), a PDF.

    Raises ValueError naming the file when it carries none or is not a regular file (a FIFO, a device).
    """
    if _read_regular(path, 16) == b"SQLite format 3\x00":
        return [_backup_head(path)]
    if path.suffix == ".json" and not path.name.endswith(MANIFEST_SUFFIX):
        manifest = path.with_name(path.name + MANIFEST_SUFFIX)
        if manifest.is_file():
            path = manifest
    raw = _read_regular(path, MAX_ANCHOR_SOURCE_BYTES)
    heads = []
    if raw.lstrip()[:1] == b"{" and (head := _head_from_json(raw)) is not None:
        heads.append(head)
    heads += [AuditHead(int(m.group(1)), m.group(2).decode("ascii")) for m in _TOKEN.finditer(raw)]
    if not heads:
        raise ValueError(f"{path} carries no audit head (not a backup, anchor, export manifest or report "
                         "made by this abc-mdt)")
    return list(dict.fromkeys(heads))


def _read_regular(path: Path, limit: int) -> bytes:
    """At most `limit` bytes of a regular file (opened non-blocking: a FIFO cannot hang verify-audit)."""
    from guideline_db.case_io import CaseFileError, read_bounded

    try:
        return read_bounded(path, limit, truncate=True)[0]
    except CaseFileError as exc:
        raise ValueError(exc.problems[0].removeprefix("(file): ")) from None


def _backup_head(path: Path) -> AuditHead:
    conn = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro&immutable=1", uri=True)
    try:
        return head_of(conn)
    except sqlite3.Error as exc:
        raise ValueError(f"{path} cannot be read as a case-store backup: {exc}") from None
    finally:
        conn.close()
