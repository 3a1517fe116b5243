"""History rewritten unseen (issue 14): each attack of the tester, made with the sqlite3 module behind the
app's back, and the finding `verify-audit` (alone, or --against a backup, export or PDF) reports."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from store_helpers import edited, make_case, open_store

from guideline_db.case_io import canonical_json
from guideline_db.cli import main
from guideline_db.store import CaseStore, StoreCorruptError
from guideline_db.store import audit as chain
from guideline_db.store.anchor import AuditHead, anchor_path, heads_in
from guideline_db.store.derived import _expected_row
from guideline_db.store.schema import GENESIS_HASH, trigger_statements

WRITER = Path(__file__).resolve().parent / "store_helpers" / "writer.py"
ROOT = Path(__file__).resolve().parent.parent
PDF_HASH = "ab" * 32
KILL_ROUNDS = 20 if os.environ.get("ABC_MDT_STRESS") == "full" else 2


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    with open_store(tmp_path) as store:
        store.save_version(make_case("a-1", name="Wang Fang", hospital_id="H0012345"), author="Dr A")
        store.save_version(make_case("a-2", name="Li Na", hospital_id="H0099001"), author="Dr A")
        info = store.save_version(make_case("a-3", name="Zhang Wei", hospital_id="H0077002"), author="Dr A",
                                  status="decided")
        store.mark_signed("a-3", info.version, PDF_HASH, "Dr A", "MDT decision")
        store.export_case_to("a-1", store.path.parent.parent / "export.json", pseudonymise=False)
        return store.path


def raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    return conn


def drop_triggers(conn: sqlite3.Connection) -> None:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")


def report_of(path: Path, *against: Path):
    with CaseStore.open(path, mounts_file=None) as store:
        return store.verify_audit(against)


def test_deleting_the_last_audit_entry_is_found_by_the_anchor_file(store_path: Path) -> None:
    conn = raw(store_path)
    drop_triggers(conn)
    last = conn.execute("SELECT id, action, detail FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert last["action"] == "exported"  # the identifiable export the tester hid
    conn.execute("DELETE FROM audit_log WHERE id = ?", (last["id"],))
    conn.close()
    report = report_of(store_path)
    assert not report.ok
    assert any("behind its anchor file" in p and "entries were lost" in p for p in report.problems), report.problems


def test_tail_truncation_of_a_signed_version_is_found(store_path: Path, tmp_path: Path) -> None:
    backup = tmp_path / "before.db"
    with CaseStore.open(store_path, mounts_file=None) as store:
        store.backup(backup)
    conn = raw(store_path)
    drop_triggers(conn)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM audit_log WHERE case_id = 'a-3' AND action = 'signed'")
    conn.execute("DELETE FROM audit_log WHERE id > (SELECT max(id) FROM audit_log WHERE case_id = 'a-3')")
    conn.execute("DELETE FROM case_versions WHERE case_id = 'a-3' AND status = 'signed'")
    conn.execute("DELETE FROM case_versions WHERE case_id = 'a-3'")
    conn.execute("DELETE FROM audit_log WHERE case_id = 'a-3'")
    seq = conn.execute("SELECT seq FROM cases WHERE case_id = 'a-3'").fetchone()[0]
    conn.execute("DELETE FROM cases WHERE case_id = 'a-3'")
    conn.execute("DELETE FROM cases_fts WHERE rowid = ?", (seq,))
    for statement in trigger_statements():
        conn.execute(statement)
    conn.close()
    (store_path.parent / (store_path.name + ".anchor")).unlink()  # the careful attacker removes the anchor
    assert report_of(store_path).ok  # nothing inside the file shows it: only an outside anchor can
    report = report_of(store_path, backup)
    assert not report.ok and any("anchored head from" in p and "entries were lost" in p for p in report.problems)


def test_names_swapped_in_the_case_list_are_found(store_path: Path) -> None:
    conn = raw(store_path)
    conn.execute("UPDATE cases SET name = CASE case_id WHEN 'a-1' THEN 'Li Na' WHEN 'a-2' THEN 'Wang Fang' END, "
                 "hospital_id = CASE case_id WHEN 'a-1' THEN 'H0099001' WHEN 'a-2' THEN 'H0012345' END "
                 "WHERE case_id IN ('a-1', 'a-2')")
    conn.close()
    report = report_of(store_path)
    assert not report.ok and report.link is not None
    assert report.link.table == "cases" and "of case a-" in report.link.what
    assert {report.link.expected, report.link.found} in ({"Wang Fang", "Li Na"}, {"H0012345", "H0099001"})


def test_swapped_search_index_rows_are_found(store_path: Path) -> None:
    conn = raw(store_path)
    rows = conn.execute("SELECT c.seq, f.search_text FROM cases c JOIN cases_fts f ON f.rowid = c.seq "
                        "WHERE c.case_id IN ('a-1', 'a-2') ORDER BY c.seq").fetchall()
    (seq1, text1), (seq2, text2) = rows
    conn.execute("UPDATE cases_fts SET search_text = ? WHERE rowid = ?", (text2, seq1))
    conn.execute("UPDATE cases_fts SET search_text = ? WHERE rowid = ?", (text1, seq2))
    conn.close()
    with CaseStore.open(store_path, mounts_file=None) as store:
        assert store.list_cases("wang")[0].case_id == "a-2"  # the attack works: a search opens the wrong patient
        report = store.verify_audit()
    assert not report.ok and report.link.table == "cases_fts" and "search index entry of case a-" in report.link.what


def test_dropped_triggers_are_found(store_path: Path) -> None:
    conn = raw(store_path)
    drop_triggers(conn)
    conn.close()
    report = report_of(store_path)
    assert not report.ok and report.link.table == "sqlite_master"
    assert report.link.what.startswith("append-only trigger") and report.link.found == "missing (dropped)"


def rewrite_with_recomputed_chain(path: Path) -> None:
    """The full rewrite: HER2 1+ → 3+ in every version of a-3 (the signed one included), every hash after it
    recomputed, the case list and search index made to agree. Only an outside anchor can show it."""
    conn = raw(path)
    drop_triggers(conn)
    versions = conn.execute("SELECT * FROM case_versions ORDER BY id").fetchall()
    heads: dict[str, str] = {}
    new_hash: dict[tuple[str, int], str] = {}
    for row in versions:
        data = dict(row)
        if data["case_id"] == "a-3":
            case = json.loads(data["case_json"])
            case["pathology"][0]["her2_ihc"] = "3+"
            data["case_json"] = canonical_json(case)
            data["sha256"] = chain.sha256_text(data["case_json"])
        data["prev_hash"] = heads.get(data["case_id"], GENESIS_HASH)
        data["row_hash"] = chain.version_row_hash(data)
        heads[data["case_id"]] = data["row_hash"]
        new_hash[(data["case_id"], data["version"])] = data["row_hash"]
        conn.execute("UPDATE case_versions SET case_json = ?, sha256 = ?, prev_hash = ?, row_hash = ? WHERE id = ?",
                     (data["case_json"], data["sha256"], data["prev_hash"], data["row_hash"], data["id"]))
    prev = GENESIS_HASH
    for row in conn.execute("SELECT * FROM audit_log ORDER BY id").fetchall():
        data = dict(row)
        if data["ref_hash"] is not None:
            data["ref_hash"] = new_hash[(data["case_id"], data["version"])]
        data["prev_hash"] = prev
        data["entry_hash"] = chain.entry_hash(data)
        prev = data["entry_hash"]
        conn.execute("UPDATE audit_log SET ref_hash = ?, prev_hash = ?, entry_hash = ? WHERE id = ?",
                     (data["ref_hash"], data["prev_hash"], data["entry_hash"], data["id"]))
    latest = conn.execute("SELECT * FROM case_versions WHERE case_id = 'a-3' ORDER BY version DESC").fetchone()
    first = conn.execute("SELECT created_at FROM case_versions WHERE case_id = 'a-3' AND version = 1").fetchone()[0]
    expected, text = _expected_row(latest, first)
    seq = conn.execute("SELECT seq FROM cases WHERE case_id = 'a-3'").fetchone()[0]
    conn.execute("UPDATE cases SET subtype = ?, diagnosis = ? WHERE case_id = 'a-3'",
                 (expected["subtype"], expected["diagnosis"]))
    conn.execute("UPDATE cases_fts SET search_text = ? WHERE rowid = ?", (text, seq))
    for statement in trigger_statements():
        conn.execute(statement)
    conn.close()


def test_a_full_rewrite_with_the_chain_recomputed_is_found_by_every_anchor(store_path: Path, tmp_path: Path) -> None:
    backup = tmp_path / "weekly.db"
    with CaseStore.open(store_path, mounts_file=None) as store:
        store.backup(backup)
        store.export_case_to("a-2", tmp_path / "a-2.json", pseudonymise=True)
        pdf = tmp_path / "report.pdf"
        pdf.write_bytes(b"%PDF-1.7\n1 0 obj << /ABCMDTAuditHead (" + store.audit_head().token().encode()
                        + b") >> endobj\n%%EOF\n")
    rewrite_with_recomputed_chain(store_path)
    with CaseStore.open(store_path, mounts_file=None) as store:
        assert store.load("a-3")[0].pathology[0].her2_ihc == "3+"
    report = report_of(store_path)
    assert not report.ok and report.link is None  # the chains agree with themselves...
    assert any("history was rewritten" in p for p in report.problems)  # ...but not with the anchor file
    anchor_path(store_path).unlink()  # the attacker also removes the anchor file
    assert report_of(store_path).ok
    for source in (backup, tmp_path / "a-2.json", tmp_path / "a-2.json.manifest.json", pdf):
        report = report_of(store_path, source)
        assert not report.ok and any(f"anchored head from {source}" in p and "rewritten" in p
                                     for p in report.problems), (source, report.problems)


def test_cli_verify_against_reports_and_fails(store_path: Path, tmp_path: Path, capsys) -> None:
    backup = tmp_path / "b.db"
    assert main(["cases", "backup", str(backup), "--store", str(store_path)]) == 0
    assert main(["cases", "verify-audit", "--store", str(store_path), "--against", str(backup)]) == 0
    assert "b.db: entry" in capsys.readouterr().out
    rewrite_with_recomputed_chain(store_path)
    assert main(["cases", "verify-audit", "--store", str(store_path), "--against", str(backup)]) == 1
    out = capsys.readouterr().out
    assert "history was rewritten" in out and "Traceback" not in out


def test_a_store_behind_its_anchor_refuses_writes(store_path: Path, tmp_path: Path) -> None:
    """An older copy of the file put in place (or a lost WAL): nothing is written on top of it."""
    old = tmp_path / "old-copy.sqlite"
    shutil.copy(store_path, old)
    with CaseStore.open(store_path, mounts_file=None) as store:
        store.save_version(edited(make_case("a-1", name="Wang Fang"), kps=70), author="Dr B")
    shutil.copy(old, store_path)
    with CaseStore.open(store_path, mounts_file=None) as store:
        assert store.list_cases()  # reading still works
        with pytest.raises(StoreCorruptError, match="disagrees with its anchor file.*nothing was saved"):
            store.save_version(make_case("a-9"), author="Dr B")
        assert not store.verify_audit().ok


def test_heads_in_names_a_file_without_a_head(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("nothing here", encoding="utf-8")
    with pytest.raises(ValueError, match="carries no audit head"):
        heads_in(other)


def test_audit_head_token_round_trips(tmp_path: Path) -> None:
    head = AuditHead(12, "cd" * 32)
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF " + head.token().encode() + b" trailer")
    assert heads_in(path) == [head]


def test_lost_wal_after_sigkill_is_detected_and_the_rollback_journal_loses_nothing(tmp_path: Path) -> None:
    """Old WAL mode: committed versions living only in -wal vanish when it is deleted after a SIGKILL — the
    anchor file reports it and writes are refused. The store's own mode (rollback journal) keeps every
    acknowledged version in the main file, so deleting a -wal changes nothing."""
    path = tmp_path / "data" / "cases.sqlite"
    open_store(tmp_path).close()
    script = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r});"
              "from store_helpers import make_case; from guideline_db.store import CaseStore;"
              f"s = CaseStore.open({str(path)!r}, mounts_file=None, user='w');"
              "wal = sys.argv[1] == 'wal'\n"
              "if wal: s.conn.execute('PRAGMA journal_mode = WAL'); s.conn.execute('PRAGMA wal_autocheckpoint = 0')\n"
              "i = 0\n"
              "while True:\n"
              "    info = s.save_version(make_case(f'k-{i % 5}', kps=80 if i % 2 else 70), author='w')\n"
              "    print(info.case_id, info.version, flush=True); i += 1\n")
    for mode in ("wal", *["delete"] * KILL_ROUNDS):
        writer = subprocess.Popen([sys.executable, "-c", script, mode], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, cwd=ROOT)
        assert writer.stdout is not None
        acknowledged = [writer.stdout.readline() for _ in range(30)]
        time.sleep(random.uniform(0.0, 0.1))
        writer.send_signal(signal.SIGKILL)
        rest, errors = writer.communicate(timeout=30)
        acknowledged = [line for line in acknowledged + rest.splitlines() if len(line.split()) == 2]
        assert len(acknowledged) >= 30, (mode, acknowledged[-3:], errors[-500:])
        wal = path.with_name(path.name + "-wal")
        if mode == "wal":
            assert wal.exists() and wal.stat().st_size > 0, errors[-500:]
        wal.unlink(missing_ok=True)
        path.with_name(path.name + "-shm").unlink(missing_ok=True)
        if mode == "wal":
            with CaseStore.open(path, mounts_file=None) as store:
                report = store.verify_audit()
                assert not report.ok and any("behind its anchor file" in p for p in report.problems)
                with pytest.raises(StoreCorruptError, match="anchor"):
                    store.save_version(make_case("k-new"), author="w")
            anchor_path(path).unlink()  # start the second half from the store as it now is
            continue
        with CaseStore.open(path, mounts_file=None) as store:
            for line in acknowledged:
                case_id, version = line.split()
                assert any(v.version == int(version) for v in store.versions(case_id)), line
            assert store.verify_audit().ok


def test_a_real_signed_report_carries_the_head_and_catches_the_rewrite(store_path: Path, tmp_path: Path) -> None:
    """`abc-mdt report --case-store` writes the store's audit head into the PDF's metadata; after the history is
    rewritten (chain recomputed, anchor file removed) `verify-audit --against` the real PDF reports it."""
    from guideline_db.case_io import case_to_json

    with CaseStore.open(store_path, mounts_file=None) as store:
        case, _ = store.load("a-3")
        head = store.audit_head().token()
    case_file = tmp_path / "a-3.json"
    case_file.write_text(case_to_json(case), encoding="utf-8")
    pdf = tmp_path / "record.pdf"
    assert main(["report", str(case_file), "--out", str(pdf), "--case-store", str(store_path)]) == 0
    assert head.encode() in pdf.read_bytes()
    assert report_of(store_path, pdf).ok
    rewrite_with_recomputed_chain(store_path)
    anchor_path(store_path).unlink()
    report = report_of(store_path, pdf)
    assert not report.ok and any(f"anchored head from {pdf}" in p for p in report.problems), report.problems
