"""Many cases as one zip archive (export) and back (import), with a result for every case.

Layout: `manifest.json` (format, exported_at, pseudonymised, one entry per case with its file name,
version and SHA-256) and `cases/<case_id>.json` (case format) or `cases/<case_id>.fhir.json` (FHIR
Bundle). Import reads members in memory (no extraction: no path traversal), refuses members larger than a
case file may be, and imports each through the store's own validated import, so one bad case never stops
the others and each gets its own located messages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_MEMBER_BYTES = 20 * 1024 * 1024
MAX_MEMBERS = 20_000
ARCHIVE_FORMAT = "abc-mdt-case-archive/1"


@dataclass(frozen=True)
class CaseResult:
    name: str                 # the case ID (export) or the archive member (import)
    ok: bool
    case_id: str | None = None
    version: int | None = None
    messages: tuple[str, ...] = field(default_factory=tuple)

    def summary(self) -> str:
        state = "ok" if self.ok else "FAILED"
        where = f" -> case {self.case_id} version {self.version}" if self.ok and self.version else ""
        extra = f" ({'; '.join(self.messages[:3])}{' …' if len(self.messages) > 3 else ''})" if self.messages else ""
        return f"{self.name}: {state}{where}{extra}"


def export_archive(store: Any, case_ids: list[str] | None, out: Path, *, fmt: str = "json",
                   pseudonymise: bool = False, with_evaluation: bool = True) -> list[CaseResult]:
    """Write the cases (default: every case in the store) into one zip; each export is audited by the store."""
    from guideline_db.case_io import parse_case_text

    ids = case_ids if case_ids else [s.case_id for s in store.list_cases("", limit=None)]
    results: list[CaseResult] = []
    manifest: dict[str, Any] = {"format": ARCHIVE_FORMAT, "content": fmt, "pseudonymised": pseudonymise,
                                "exported_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "cases": []}
    temp = out.with_name(f".{out.name}.tmp")
    temp.unlink(missing_ok=True)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for case_id in ids:
                try:
                    text = store.export_case(case_id, pseudonymise=pseudonymise)
                    case = parse_case_text(text)
                    if fmt == "fhir":
                        from guideline_db.interop.fhir_export import bundle_json, case_to_bundle

                        evaluation = None
                        if with_evaluation:
                            from guideline_db.engine import evaluate

                            evaluation = evaluate(case)
                        text, member = bundle_json(case_to_bundle(case, evaluation)), f"cases/{case.case_id}.fhir.json"
                    else:
                        member = f"cases/{case.case_id}.json"
                except Exception as exc:  # noqa: BLE001 - one case's failure is that case's result, not the batch's
                    results.append(CaseResult(case_id, False, case_id, messages=(str(exc).splitlines()[0][:300],)))
                    continue
                data = text.encode("utf-8")
                zf.writestr(member, data)
                manifest["cases"].append({"file": member, "sha256": hashlib.sha256(data).hexdigest(),
                                          **({} if pseudonymise else {"case_id": case_id})})
                results.append(CaseResult(case_id, True, case.case_id))
            zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return results


def _import_member(store: Any, name: str, data: bytes, author: str) -> CaseResult:
    from guideline_db.case_io import case_to_json
    from guideline_db.store.errors import StoreError

    messages: list[str] = []
    if name.endswith(".fhir.json"):
        from guideline_db.interop.fhir_import import bundle_to_case

        try:
            bundle = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return CaseResult(name, False, messages=(f"not UTF-8 JSON: {exc}",))
        result = bundle_to_case(bundle)
        messages += [str(m) for m in result.messages if m.level != "info"]
        if result.case is None:
            return CaseResult(name, False, messages=tuple(messages))
        data = (case_to_json(result.case) + "\n").encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(name).name.replace(".fhir.json", ".json")
        path.write_bytes(data)
        try:
            info = store.import_case_file(path, author)
        except StoreError as exc:
            problems = getattr(exc, "problems", None) or [str(exc)]
            return CaseResult(name, False, messages=tuple(messages + list(problems)))
    return CaseResult(name, True, info.case_id, info.version, tuple(messages))


def import_archive(store: Any, path: Path, author: str) -> list[CaseResult]:
    """Import every case member of the archive; a result per member (the manifest is checked, not imported)."""
    results: list[CaseResult] = []
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        return [CaseResult(str(path), False, messages=(f"not a readable zip archive: {exc}",))]
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > MAX_MEMBERS:
            return [CaseResult(str(path), False, messages=(f"{len(infos)} members; at most {MAX_MEMBERS}",))]
        hashes: dict[str, str] = {}
        if "manifest.json" in zf.namelist():
            try:
                manifest = json.loads(zf.read("manifest.json").decode("utf-8"))
                hashes = {c["file"]: c["sha256"] for c in manifest.get("cases", [])}
            except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                results.append(CaseResult("manifest.json", False, messages=("manifest unreadable; members imported without hash checks",)))
        for info in infos:
            name = info.filename
            if name == "manifest.json":
                continue
            if not name.endswith(".json"):
                results.append(CaseResult(name, False, messages=("not a .json member; skipped",)))
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                results.append(CaseResult(name, False, messages=(f"{info.file_size} bytes; at most {MAX_MEMBER_BYTES}",)))
                continue
            data = zf.read(info)
            if name in hashes and hashlib.sha256(data).hexdigest() != hashes[name]:
                results.append(CaseResult(name, False, messages=("SHA-256 differs from the manifest; not imported",)))
                continue
            results.append(_import_member(store, name, data, author))
    return results
