"""A damaged store (issue 14): flipped bytes in live stores and backups, a flipped schema byte, a read-only
store, a store found 0644, failed operations. Every outcome is either a StoreError naming the file and the
way out, or a store whose list, search, content and audit are exactly what was saved — never a traceback,
never a changed record reported as intact.

ABC_MDT_STRESS=full runs 1,000 flips of live stores and 1,000 of backups (`make stress`); `make test` 60 each.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from store_helpers import make_case, open_store

from guideline_db.cli import main
from guideline_db.store import CaseStore, RestoreRefusedError, StoreError
from guideline_db.store.anchor import anchor_path

FULL = os.environ.get("ABC_MDT_STRESS") == "full"
FLIPS = 1000 if FULL else 60
NAMES = [("Wang Fang", "H0012345"), ("Li Na", "H0099001"), ("Zhang Wei", "H0077002"), ("欧阳娜娜", "Z88"),
         ("Chen Jing", "H5"), ("王小明", "H0000017")]


def build_store(folder: Path) -> Path:
    with open_store(folder) as store:
        for index, (name, hospital_id) in enumerate(NAMES):
            subtype = ("hr_pos_her2_neg", "triple_negative", "hr_neg_her2_pos")[index % 3]
            info = store.save_version(make_case(f"c-{index}", name=name, hospital_id=hospital_id, subtype=subtype,
                                                notes=f"note {index}"), author="Dr A")
            if index % 2:
                store.save_version(make_case(f"c-{index}", name=name, hospital_id=hospital_id, subtype=subtype,
                                             kps=70), author="Dr B", status="decided")
            elif index == 2:
                store.mark_signed(info.case_id, info.version, "ab" * 32, "Dr A", "MDT decision")
        return store.path


def snapshot(store: CaseStore, entries: int | None = None) -> tuple:
    """Everything a user sees of the record: the list, searches, every version's content, the audit log."""
    listing = tuple(store.list_cases(limit=None))
    searches = tuple(tuple(c.case_id for c in store.list_cases(term)) for term in ("wang", "h00", "三阴", "na", "王"))
    contents = tuple((c.case_id, v.version, store.load(c.case_id, v.version)[0]) for c in listing
                     for v in store.versions(c.case_id))
    audit = tuple(store.audit_entries())[:entries]
    return listing, searches, contents, audit


def flipped(source: Path, target: Path, rng: random.Random) -> int:
    data = bytearray(source.read_bytes())
    offset = rng.randrange(len(data))
    data[offset] ^= 1 << rng.randrange(8)
    target.write_bytes(bytes(data))
    return offset


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple]:
    folder = tmp_path_factory.mktemp("pristine")
    path = build_store(folder)
    with CaseStore.open(path, mounts_file=None) as store:
        return path, snapshot(store)


def test_flipped_bytes_in_a_live_store_are_an_answer_or_change_nothing(pristine, tmp_path: Path) -> None:
    source, expected = pristine
    rng = random.Random(14)
    outcomes = {"refused": 0, "unchanged": 0, "reported": 0}
    live = tmp_path / "data" / "cases.sqlite"
    live.parent.mkdir()
    for _ in range(FLIPS):
        offset = flipped(source, live, rng)
        shutil.copy(anchor_path(source), anchor_path(live))
        try:
            with CaseStore.open(live, mounts_file=None) as store:
                if store.check_integrity() or not store.verify_audit().ok:
                    outcomes["reported"] += 1
                    continue
                assert snapshot(store) == expected, f"flip at {offset} changed the record unseen"
                outcomes["unchanged"] += 1
        except StoreError as exc:
            assert str(live) in str(exc) or "case store" in str(exc), (offset, str(exc))
            outcomes["refused"] += 1
    assert sum(outcomes.values()) == FLIPS and outcomes["unchanged"] < FLIPS


def test_flipped_backups_are_refused_or_restore_exactly(pristine, tmp_path: Path) -> None:
    source, expected = pristine
    rng = random.Random(6)
    backup = tmp_path / "backup.db"
    with CaseStore.open(source, mounts_file=None) as store:
        store.backup(backup)
        entries = len(store.audit_entries()) - 1  # the copy was taken before its own 'backed_up' entry
    refused = 0
    target = tmp_path / "data" / "cases.sqlite"
    for _ in range(FLIPS):
        offset = flipped(backup, tmp_path / "flipped.db", rng)
        try:
            CaseStore.restore(tmp_path / "flipped.db", target, mounts_file=None)
        except RestoreRefusedError:
            refused += 1
            continue
        with CaseStore.open(target, mounts_file=None) as store:
            assert store.verify_audit().ok, offset
            listing, searches, contents, audit = snapshot(store, entries)
            assert (listing, searches, contents) == expected[:3], f"flip at {offset} restored a changed record"
            assert audit == expected[3][:entries]
        for leftover in target.parent.glob("*before-restore*"):
            leftover.unlink()
    assert refused > 0


def flip_schema(path: Path) -> None:
    """One byte of the schema's SQL text (page 1, sqlite_master) changed."""
    data = bytearray(path.read_bytes())
    at = data.index(b"CREATE TABLE case_versions (") + len(b"CREATE TABLE case_versions ")
    data[at] ^= 0x20  # "(" becomes a control character: SQLite cannot parse its own schema
    path.write_bytes(bytes(data))


STORE_COMMANDS = (["list"], ["list", "--search", "wang"], ["verify-audit"], ["export", "c-1", "--out", "OUT"],
                  ["backup", "BACKUP"], ["import", "CASE"])


def test_a_flipped_schema_byte_is_a_located_answer_in_every_store_command(tmp_path: Path, capsys) -> None:
    path = build_store(tmp_path)
    backup = tmp_path / "good.db"
    with CaseStore.open(path, mounts_file=None) as store:
        store.backup(backup)
    case_file = tmp_path / "case.json"
    case_file.write_text('{"case_id": "x"}', encoding="utf-8")
    flip_schema(path)
    damaged = path.read_bytes()
    for command in STORE_COMMANDS:
        argv = [str(tmp_path / "out.json") if a == "OUT" else str(tmp_path / "b2.db") if a == "BACKUP"
                else str(case_file) if a == "CASE" else a for a in command]
        code = main(["cases", *argv, "--store", str(path)])
        captured = capsys.readouterr()
        assert code != 0, command
        assert "Traceback" not in captured.err + captured.out
        assert str(path) in captured.err + captured.out, (command, captured.err)
        assert "restore" in captured.err + captured.out, (command, captured.err)
    assert main(["cases", "restore", str(backup), "--store", str(path)]) == 0
    out = capsys.readouterr().out
    kept = next(path.parent.glob("cases.before-restore-*.sqlite"))
    assert kept.read_bytes() == damaged and str(kept) in out  # the damaged file kept aside, byte for byte
    assert main(["cases", "verify-audit", "--store", str(path)]) == 0


@pytest.mark.parametrize("damage", ["zeroed", "truncated", "garbage", "not-sqlite", "behind-anchor"])
def test_restore_works_whatever_state_the_store_is_in(tmp_path: Path, damage: str) -> None:
    path = build_store(tmp_path)
    backup = tmp_path / "good.db"
    with CaseStore.open(path, mounts_file=None) as store:
        store.backup(backup)
        store.save_version(make_case("late"), author="Dr A")
    data = path.read_bytes()
    if damage == "zeroed":
        path.write_bytes(b"\0" * len(data))
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif damage == "garbage":
        path.write_bytes(data[:100] + os.urandom(len(data) - 100))
    elif damage == "not-sqlite":
        path.write_text("hello", encoding="utf-8")
    else:
        shutil.copy(backup, path)
    result = CaseStore.restore(backup, path, mounts_file=None)
    assert result.previous_copy is not None and result.previous_copy.exists()
    with CaseStore.open(path, mounts_file=None) as store:
        assert store.verify_audit().ok and len(store.list_cases()) == len(NAMES)


def test_a_backup_with_an_edited_case_list_is_refused(tmp_path: Path) -> None:
    path = build_store(tmp_path)
    backup = tmp_path / "b.db"
    with CaseStore.open(path, mounts_file=None) as store:
        store.backup(backup)
    conn = sqlite3.connect(backup)
    conn.execute("UPDATE cases SET name = 'Someone Else' WHERE case_id = 'c-0'")
    conn.commit()
    conn.close()
    with pytest.raises(RestoreRefusedError, match="name of case c-0 in the case list"):
        CaseStore.restore(backup, path, mounts_file=None)


def test_a_store_found_0644_is_tightened(tmp_path: Path) -> None:
    path = build_store(tmp_path)
    for target in (path, anchor_path(path)):
        os.chmod(target, 0o644)
    with CaseStore.open(path, mounts_file=None):
        pass
    for target in (path, anchor_path(path)):
        assert stat.S_IMODE(target.stat().st_mode) == 0o600, target


def test_read_only_store_lists_verifies_and_backs_up(tmp_path: Path) -> None:
    path = build_store(tmp_path)
    with CaseStore.open(path, mounts_file=None, read_only=True) as store:
        assert store.read_only and len(store.list_cases()) == len(NAMES)
        assert store.verify_audit().ok
        store.backup(tmp_path / "ro-backup.db")
        with pytest.raises(StoreError, match="read-only"):
            store.save_version(make_case("new"), author="Dr A")
    with CaseStore.open(path, mounts_file=None) as store:
        assert all(e.action != "backed_up" for e in store.audit_entries())


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_through_the_cli(tmp_path: Path, capsys) -> None:
    path = build_store(tmp_path)
    os.chmod(path, 0o400)
    os.chmod(path.parent, 0o500)
    try:
        assert main(["cases", "list", "--store", str(path)]) == 0
        assert main(["cases", "verify-audit", "--store", str(path)]) == 0
        assert main(["cases", "backup", str(tmp_path / "b.db"), "--store", str(path)]) == 0
        assert "read-only" in capsys.readouterr().out
    finally:
        os.chmod(path.parent, 0o700)


def test_failed_operations_write_no_success_record(tmp_path: Path) -> None:
    path = build_store(tmp_path)
    (tmp_path / "taken").mkdir()
    with CaseStore.open(path, mounts_file=None) as store:
        before = len(store.audit_entries())
        with pytest.raises(StoreError):
            store.export_case_to("c-1", tmp_path / "taken", pseudonymise=True)  # a folder is in the way
        with pytest.raises(StoreError):
            store.export_case_to("c-1", tmp_path / "missing" / "x.json")
        with pytest.raises(StoreError):
            store.backup(tmp_path / "missing" / "b.db")
        assert len(store.audit_entries()) == before
    assert main(["cases", "export", "c-1", "--out", str(tmp_path / "taken"), "--store", str(path)]) == 1
    with CaseStore.open(path, mounts_file=None) as store:
        assert len(store.audit_entries()) == before
