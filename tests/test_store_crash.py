"""Crash safety: a writer killed with SIGKILL at random moments loses nothing it reported as committed,
and two processes writing at once leave a sound store.

ABC_MDT_STRESS=full runs 50 kills instead of 5.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from store_helpers import open_store
from store_helpers.writer import draft_text

from guideline_db.store import CaseStore

WRITER = Path(__file__).resolve().parent / "store_helpers" / "writer.py"
ROOT = Path(__file__).resolve().parent.parent


def kill_count() -> int:
    return 50 if os.environ.get("ABC_MDT_STRESS") == "full" else 5


def start_writer(store: Path, prefix: str, count: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(WRITER), str(store), prefix, str(count), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)


def parse(lines: list[str]) -> tuple[dict[tuple[str, int], str], dict[str, int]]:
    """(case_id, version) -> sha256 of every version reported committed; draft key -> last index."""
    versions, drafts = {}, {}
    for line in lines:
        parts = line.split()
        if len(parts) == 4 and parts[0] == "version":
            versions[(parts[1], int(parts[2]))] = parts[3]
        elif len(parts) == 3 and parts[0] == "draft":
            drafts[parts[1]] = int(parts[2])
    return versions, drafts


def check_store(path: Path, versions: dict[tuple[str, int], str], drafts: dict[str, int]) -> None:
    with CaseStore.open(path, mounts_file=None) as store:
        assert store.check_integrity() == []
        for (case_id, version), sha in versions.items():
            assert {v.version: v.sha256 for v in store.versions(case_id)}.get(version) == sha, (case_id, version)
        for key, index in drafts.items():
            text = store.load_draft(key)
            assert text is not None, key
            prefix = key.removeprefix("draft-")
            # The draft is the last one reported, or one the writer committed just before dying.
            assert text in {draft_text(prefix, index), draft_text(prefix, index + 1)}, (key, text, index)
        report = store.verify_audit()
        assert report.ok, report.first_break


def test_sigkill_at_random_points_loses_nothing_committed(tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    path = tmp_path / "data" / "cases.sqlite"
    open_store(tmp_path).close()
    committed: dict[tuple[str, int], str] = {}
    last_drafts: dict[str, int] = {}
    for round_number in range(kill_count()):
        writer = start_writer(path, f"w{round_number}", -1)
        assert writer.stdout is not None
        first = writer.stdout.readline()  # the writer is past its imports and committing
        assert first.startswith("version"), (first, writer.stderr.read() if writer.stderr else "")
        time.sleep(rng.uniform(0.0, 0.25))
        writer.send_signal(signal.SIGKILL)
        rest, _ = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL
        versions, drafts = parse([first, *rest.splitlines()])
        committed.update(versions)
        last_drafts.update(drafts)
        check_store(path, versions, drafts)
    check_store(path, committed, last_drafts)  # earlier rounds survived later crashes too
    assert len(committed) >= kill_count(), f"seed {seed}"


def test_two_processes_writing_at_once(tmp_path: Path) -> None:
    path = tmp_path / "data" / "cases.sqlite"
    open_store(tmp_path).close()
    writers = [start_writer(path, name, 30, "--shared") for name in ("alpha", "beta")]
    outputs = [writer.communicate(timeout=120) for writer in writers]
    for writer, (_, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
    reported: dict[tuple[str, int], str] = {}
    for out, _ in outputs:
        versions, _ = parse(out.splitlines())
        assert not set(versions) & set(reported), "two writers were given the same version number"
        reported.update(versions)
    check_store(path, reported, {"draft-alpha": 29, "draft-beta": 29})
    with CaseStore.open(path, mounts_file=None) as store:
        assert store.counts()["case_versions"] == len(reported) == 60
        shared = store.versions("shared-0")
        assert [v.version for v in shared] == list(range(1, len(shared) + 1))
        assert {v.author for v in shared} == {"alpha", "beta"}
