"""One resolver for the user's folders and settings files (guideline_db/user_dirs.py), used by the case
store, the report settings and the GUI alike; Windows paths (folders, network drives, fsync) tested with the
operating-system calls replaced, since this suite runs on Linux."""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs.windows
import pytest

from guideline_db import user_dirs
from guideline_db.store import NetworkFilesystemError, paths
from guideline_db.store.errors import StoreError


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (*user_dirs.OVERRIDES.values(), "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME",
                 "XDG_CACHE_HOME", "APPDATA", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    user_dirs.settings_problems(clear=True)


def test_linux_folders_follow_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    expected = {"data": home / ".local/share/abc-mdt", "config": home / ".config/abc-mdt",
                "log": home / ".local/state/abc-mdt/log", "cache": home / ".cache/abc-mdt"}
    for kind, path in expected.items():
        assert user_dirs.user_dir(kind, system="linux") == path
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")        # the XDG spec: relative values are ignored
    assert user_dirs.user_dir("config", system="linux") == tmp_path / "xdg-config" / "abc-mdt"
    assert user_dirs.user_dir("log", system="linux") == expected["log"]


def test_overrides_win_everywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for kind, variable in user_dirs.OVERRIDES.items():
        monkeypatch.setenv(variable, str(tmp_path / kind))
        for system in ("linux", "win32", "darwin"):
            assert user_dirs.user_dir(kind, system=system) == tmp_path / kind


def test_windows_folders_come_from_the_known_folder_api(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    folders = {"CSIDL_LOCAL_APPDATA": r"C:\Users\dr\AppData\Local", "CSIDL_APPDATA": r"C:\Users\dr\AppData\Roaming"}
    # platformdirs' one call into Windows (SHGetKnownFolderPath through ctypes) replaced at the boundary.
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", lambda name: asked.append(name) or folders[name])
    monkeypatch.setattr(os.path, "normpath", lambda p: p)   # posixpath.normpath would not know "\\"

    def on_windows(kind: str) -> str:
        return str(user_dirs.user_dir(kind, system="win32")).replace("/", "\\")

    assert on_windows("data") == r"C:\Users\dr\AppData\Local\abc-mdt"           # local: never roaming
    assert on_windows("config") == r"C:\Users\dr\AppData\Roaming\abc-mdt"       # roams with the user
    assert on_windows("log") == r"C:\Users\dr\AppData\Local\abc-mdt\Logs"
    assert on_windows("cache") == r"C:\Users\dr\AppData\Local\abc-mdt\Cache"
    assert set(asked) == set(folders)


def test_cli_store_reports_and_gui_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop_app import user_settings
    from reports import settings as report_settings

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert report_settings.config_dir() == user_settings.config_dir() == user_dirs.config_dir() \
        == tmp_path / "cfg" / "abc-mdt"
    assert paths.default_data_dir() == user_dirs.data_dir() == tmp_path / "data" / "abc-mdt"
    assert paths.default_store_path() == tmp_path / "data" / "abc-mdt" / "cases.sqlite"
    # The IT file and the app's state are different files.
    assert user_settings.settings_path() == user_dirs.state_path() != user_dirs.managed_settings_path()
    assert user_dirs.managed_settings_path().name == report_settings.SETTINGS_FILE_NAME == "settings.json"


def test_app_state_never_touches_the_it_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reports.settings import load_settings

    monkeypatch.setenv("ABC_MDT_CONFIG_DIR", str(tmp_path / "cfg"))
    managed = user_dirs.managed_settings_path()
    managed.parent.mkdir(parents=True)
    it_text = json.dumps({"report": {"hospital_en": "Example Hospital"}}, indent=4)
    managed.write_text(it_text, encoding="utf-8")
    user_dirs.save_state(idle_lock_minutes=5)
    user_dirs.save_state(zoom=2)
    assert managed.read_text(encoding="utf-8") == it_text
    assert user_dirs.load_state() == {"idle_lock_minutes": 5, "zoom": 2}
    assert load_settings().hospital_en == "Example Hospital"


@pytest.mark.parametrize("broken", ['{"report": {"hospital_en": "X",}}', "[1, 2]", "\xff\xfe{"])
def test_a_settings_file_that_does_not_parse_is_reported_and_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str) -> None:
    from reports.settings import ReportSettings, load_settings

    monkeypatch.setenv("ABC_MDT_CONFIG_DIR", str(tmp_path / "cfg"))
    for path in (user_dirs.managed_settings_path(), user_dirs.state_path()):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(broken.encode("latin-1"))
    assert load_settings() == ReportSettings()
    assert user_dirs.load_state() == {}
    with pytest.raises(OSError, match="state.json not used"):
        user_dirs.save_state(idle_lock_minutes=5)             # the GUI shows this; the file is not replaced
    for path in (user_dirs.managed_settings_path(), user_dirs.state_path()):
        assert path.read_bytes() == broken.encode("latin-1")
    problems = {p.path.name: str(p) for p in user_dirs.settings_problems(clear=True)}
    assert set(problems) == {"settings.json", "state.json"}
    assert "left as it is" in problems["settings.json"]
    assert user_dirs.settings_problems() == []


def test_cli_prints_a_broken_settings_file_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from guideline_db.cli import main

    monkeypatch.setenv("ABC_MDT_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("ABC_MDT_LOG_DIR", str(tmp_path / "log"))
    managed = user_dirs.managed_settings_path()
    managed.parent.mkdir(parents=True)
    managed.write_text('{"report": {"hospital_en": "X",}}', encoding="utf-8")
    out = tmp_path / "r.pdf"
    case = Path(__file__).parent / "cases" / "p01-male-hr-positive.json"
    assert main(["report", str(case), "--out", str(out), "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert f"warning: settings file {managed} not used: not valid JSON" in err and "line 1 column" in err
    assert out.is_file()


# -- Windows: network drives and fsync ---------------------------------------------------------------------

@pytest.mark.parametrize(("path", "drive_types", "where"), [
    (r"\\fileserver\mdt\cases.sqlite", {}, r"a network share (\\fileserver\mdt)"),
    (r"\\?\UNC\fileserver\mdt\cases.sqlite", {}, "a network share (UNC path)"),
    (r"H:\abc-mdt\cases.sqlite", {"H:\\": paths.DRIVE_REMOTE}, "a network drive (H:)"),
    (r"\\?\H:\abc-mdt\cases.sqlite", {"H:\\": paths.DRIVE_REMOTE}, "a network drive (H:)"),
    (r"C:\Users\dr\AppData\Local\abc-mdt\cases.sqlite", {"C:\\": 3}, None),   # DRIVE_FIXED
    (r"E:\abc-mdt\cases.sqlite", {"E:\\": 2}, None),                           # DRIVE_REMOVABLE
])
def test_windows_network_locations(monkeypatch: pytest.MonkeyPatch, path: str, drive_types: dict[str, int],
                                   where: str | None) -> None:
    asked: list[str] = []
    monkeypatch.setattr(paths, "_get_drive_type", lambda root: asked.append(root) or drive_types[root])
    assert paths.windows_network_location(path) == where
    assert asked == list(drive_types)


def test_store_on_a_windows_network_drive_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "windows_network_location", lambda p: "a network drive (H:)")
    monkeypatch.setattr(paths, "_on_windows", lambda: True)
    with pytest.raises(NetworkFilesystemError, match="network drive") as raised:
        paths.refuse_network_filesystem(Path("/anything/cases.sqlite"), mounts_file=None)
    assert isinstance(raised.value, StoreError)
    monkeypatch.setattr(paths, "windows_network_location", lambda p: None)
    paths.refuse_network_filesystem(Path("/anything/cases.sqlite"), mounts_file=None)


def _record_os_calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    calls: list[tuple] = []
    monkeypatch.setattr(paths.os, "open", lambda path, flags: calls.append(("open", Path(path), flags)) or 99)
    monkeypatch.setattr(paths.os, "fsync", lambda fd: calls.append(("fsync", fd)))
    monkeypatch.setattr(paths.os, "close", lambda fd: calls.append(("close", fd)))
    return calls


def test_fsync_on_windows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    backup = tmp_path / "backup.db"
    backup.write_bytes(b"x")
    calls = _record_os_calls(monkeypatch)
    paths.fsync_path(tmp_path, system="nt")        # a folder cannot be opened on Windows: skipped, no error
    assert calls == []
    paths.fsync_path(backup, system="nt")          # FlushFileBuffers needs write access
    assert calls == [("open", backup, os.O_RDWR | getattr(os, "O_BINARY", 0)), ("fsync", 99), ("close", 99)]


def test_fsync_on_posix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    backup = tmp_path / "backup.db"
    backup.write_bytes(b"x")
    paths.fsync_path(backup)                       # for real
    paths.fsync_path(tmp_path)
    calls = _record_os_calls(monkeypatch)
    paths.fsync_path(tmp_path, system="posix")
    assert calls[0] == ("open", tmp_path, os.O_RDONLY | os.O_DIRECTORY)
    assert [c[0] for c in calls] == ["open", "fsync", "close"]
