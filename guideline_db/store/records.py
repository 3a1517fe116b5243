"""The frozen result objects the store hands to the GUI and the CLI.

Why frozen dataclasses rather than rows or dicts: the GUI may pass them between threads and cache
them; they must not change under it, and their fields are the documented contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class CaseSummary:
    """One line of the case list: the latest version of a case."""

    case_id: str
    hospital_id: str | None
    name: str | None
    subtype: str
    status: str
    updated_at: str
    latest_version: int
    presentation: str = ""
    created_at: str = ""


@dataclass(frozen=True)
class VersionInfo:
    """One immutable saved version of a case (signed versions also carry the PDF hash)."""

    case_id: str
    version: int
    created_at: str
    author: str
    status: str
    changed_fields: tuple[str, ...]
    sha256: str
    pdf_sha256: str | None = None
    signs_version: int | None = None
    note: str = ""
    row_hash: str = ""


@dataclass(frozen=True)
class DraftInfo:
    key: str
    updated_at: str
    chars: int


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    case_id: str | None
    version: int | None
    detail: str


@dataclass(frozen=True)
class ChainBreak:
    """The first broken link: which table and row, what the chain expected and what was found."""

    table: str
    row: int
    what: str
    expected: str
    found: str

    def describe(self) -> str:
        return f"{self.table} row {self.row}: {self.what}: expected {self.expected}, found {self.found}"


@dataclass(frozen=True)
class AuditReport:
    """What verify-audit found. `ok` only when the chains, derived tables, triggers and every anchor agree.

    `problems` lists findings beyond the first chain break (a store behind its anchor file, an anchored
    head from a backup, export or PDF that the chain no longer contains); `checked` says what was compared.
    """

    ok: bool
    versions_checked: int
    entries_checked: int
    link: ChainBreak | None = None
    problems: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()

    @property
    def first_break(self) -> str | None:
        return self.link.describe() if self.link else None

    def summary(self) -> str:
        lines = []
        if self.link is not None:
            lines.append(f"audit chain broken at {self.first_break}")
        lines += self.problems
        if not lines:
            lines.append(f"audit chains intact: {self.versions_checked} case versions and "
                         f"{self.entries_checked} audit entries verified")
        lines += [f"  checked: {item}" for item in self.checked]
        return "\n".join(lines)


@dataclass(frozen=True)
class RestoreResult:
    store_path: Path
    previous_copy: Path | None
    source_sha256: str
    cases: int
    versions: int

    def summary(self) -> str:
        kept = f"; the previous store was kept at {self.previous_copy}" if self.previous_copy else ""
        return f"restored {self.cases} cases ({self.versions} versions) into {self.store_path}{kept}"


@dataclass(frozen=True)
class ExportResult:
    """A written export: the file, its manifest, its SHA-256, the audit head then, and what was done."""

    path: Path
    manifest: Path
    sha256: str
    audit_head: Any
    pseudonymised: bool
    actions: tuple[str, ...]

    def summary(self) -> str:
        kind = "pseudonymised" if self.pseudonymised else "identifiable"
        done = "".join(f"\n  - {action}" for action in self.actions)
        return f"wrote {kind} export {self.path} (manifest {self.manifest.name}){done}"
