"""Where the case store lives, its POSIX modes, and the refusal of network filesystems."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from guideline_db.store import CaseStore, NetworkFilesystemError, default_store_path
from guideline_db.store.paths import mount_of, read_mounts


def test_data_dir_env_wins_over_xdg(tmp_path: Path) -> None:
    env = {"ABC_MDT_DATA_DIR": str(tmp_path / "mdt"), "XDG_DATA_HOME": str(tmp_path / "xdg")}
    assert default_store_path(env) == tmp_path / "mdt" / "cases.sqlite"


def test_xdg_data_home_then_home_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_store_path({"XDG_DATA_HOME": str(tmp_path)}) == tmp_path / "abc-mdt" / "cases.sqlite"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".local" / "share" / "abc-mdt" / "cases.sqlite"
    assert default_store_path({}) == expected
    # The XDG spec: a relative XDG_DATA_HOME is invalid and ignored.
    assert default_store_path({"XDG_DATA_HOME": "relative/dir"}) == expected


def test_open_without_path_uses_env_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(tmp_path / "env-data"))
    with CaseStore.open(mounts_file=None) as store:
        assert store.path == tmp_path / "env-data" / "cases.sqlite"
    assert (tmp_path / "env-data" / "cases.sqlite").is_file()


def test_created_store_is_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "new" / "abc-mdt"
    with CaseStore.open(data_dir / "cases.sqlite", mounts_file=None) as store:
        store.autosave_draft("k", "x")  # a commit: the journal comes and goes, the anchor file stays
        files = sorted(p.name for p in data_dir.iterdir())
        modes = {name: stat.S_IMODE((data_dir / name).stat().st_mode) for name in files}
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert "cases.sqlite.anchor" in modes
    assert modes == {name: 0o600 for name in files}


def test_opened_with_rollback_journal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    with CaseStore.open(tmp_path / "cases.sqlite", mounts_file=None, timeout=2.5) as store:
        conn = store.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # see connection.py
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 2500


def write_mounts(tmp_path: Path, lines: list[str]) -> Path:
    mounts = tmp_path / "mounts"
    mounts.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return mounts


@pytest.mark.parametrize("fstype", ["nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p", "afs"])
def test_network_filesystem_is_refused(tmp_path: Path, fstype: str) -> None:
    share = tmp_path / "share"
    share.mkdir()  # a mount point always exists
    mounts = write_mounts(tmp_path, ["/dev/vda / ext4 rw 0 0", f"server:/export {share} {fstype} rw 0 0"])
    with pytest.raises(NetworkFilesystemError) as error:
        CaseStore.open(share / "abc-mdt" / "cases.sqlite", mounts_file=mounts)
    assert fstype in error.value.message
    assert "ABC_MDT_DATA_DIR" in error.value.hint
    assert not (share / "abc-mdt").exists()  # refused before anything was created


def test_local_mount_inside_network_mount_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "local").mkdir()
    mounts = write_mounts(tmp_path, [f"server:/ {tmp_path} nfs4 rw 0 0", f"/dev/sdb1 {tmp_path / 'local'} ext4 rw 0 0"])
    with CaseStore.open(tmp_path / "local" / "cases.sqlite", mounts_file=mounts) as store:
        assert store.list_cases() == []


def test_mount_points_with_escaped_spaces(tmp_path: Path) -> None:
    share = tmp_path / "My Share"
    share.mkdir()
    mounts = write_mounts(tmp_path, ["/dev/vda / ext4 rw 0 0",
                                     f"//srv/x {str(share).replace(' ', chr(92) + '040')} cifs rw 0 0"])
    assert mount_of(share / "cases.sqlite", mounts) == (str(share), "cifs")
    with pytest.raises(NetworkFilesystemError):
        CaseStore.open(share / "cases.sqlite", mounts_file=mounts)


def test_missing_mount_table_does_not_block(tmp_path: Path) -> None:
    assert read_mounts(tmp_path / "no-such-file") == []
    with CaseStore.open(tmp_path / "cases.sqlite", mounts_file=tmp_path / "no-such-file") as store:
        assert store.counts()["cases"] == 0


def test_real_mount_table_accepts_the_test_folder(tmp_path: Path) -> None:
    """/proc/mounts as shipped: tmp_path is on a local disk on the machines the suite runs on."""
    mount = mount_of(tmp_path)
    if mount is None:
        pytest.skip("no /proc/mounts on this system")
    with CaseStore.open(tmp_path / "cases.sqlite") as store:
        assert store.path.exists()
