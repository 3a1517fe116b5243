"""The local case store: every save an immutable, hash-chained version; an append-only audit log;
autosaved drafts; import/export of case files; backup and restore. Pure Python + SQLite, no Qt.

    store = CaseStore.open()                 # $ABC_MDT_DATA_DIR/cases.sqlite or the XDG data dir
    info = store.save_version(case, author="Dr Li", status="draft")
    store.list_cases(search="wang")          # newest first, fast enough for every keystroke

Every failure is a `StoreError` (one line: message and hint); see `errors.py` for the subclasses.
`store.audit_head()` is the chain head (entries, hash) to embed in files made from the store (its
`token()` in a PDF's metadata); `abc-mdt cases verify-audit --against FILE` checks it later.
"""

from guideline_db.store.anchor import AuditHead
from guideline_db.store.case_store import CaseStore
from guideline_db.store.errors import (
    CaseImportError,
    CaseNotFoundError,
    NetworkFilesystemError,
    RestoreRefusedError,
    StoreAccessError,
    StoreCorruptError,
    StoredCaseInvalidError,
    StoreDiskFullError,
    StoreError,
    StoreInUseError,
    StoreReadOnlyError,
    StoreUsageError,
    StoreVersionError,
    VersionConflictError,
)
from guideline_db.store.paths import default_data_dir, default_store_path
from guideline_db.store.records import (
    AuditEntry,
    AuditReport,
    CaseSummary,
    ChainBreak,
    DraftInfo,
    ExportResult,
    RestoreResult,
    VersionInfo,
)
from guideline_db.store.selection import open_store  # issue 18: an SQLite file or a postgresql:// URL
from guideline_db.store.versions import canonical_case_json

__all__ = [
    "AuditEntry", "AuditHead", "AuditReport", "ExportResult", "CaseImportError", "CaseNotFoundError", "CaseStore", "CaseSummary", "ChainBreak",
    "DraftInfo", "NetworkFilesystemError", "RestoreRefusedError", "RestoreResult", "StoreAccessError",
    "StoreCorruptError", "StoreDiskFullError", "StoreError", "StoreInUseError", "StoreReadOnlyError",
    "StoreUsageError", "StoreVersionError", "StoredCaseInvalidError", "VersionConflictError", "VersionInfo",
    "canonical_case_json", "default_data_dir", "default_store_path", "open_store",
]
