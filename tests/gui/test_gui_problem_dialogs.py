"""The desktop app reports an unusable IT settings file and an uncaught error in a dialog (and the log)."""

from __future__ import annotations

import sys
from typing import Any

from desktop_app import dialogs
from desktop_app.main import _report_problems_in_dialogs
from guideline_db import user_dirs


def test_a_broken_settings_file_and_an_uncaught_error_reach_the_user(qtbot: Any, monkeypatch: Any, tmp_path) -> None:
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "message", lambda _parent, _title, text, *a, **k: shown.append(str(text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)          # restored after the test
    settings = tmp_path / "settings.json"
    settings.write_text('{"store_url": "x",}', encoding="utf-8")   # a trailing comma: does not parse
    assert user_dirs.read_settings_file(settings) == {}                # defaults; the file is kept as it is
    _report_problems_in_dialogs(None)
    assert any("settings.json" in text for text in shown)
    assert settings.read_text(encoding="utf-8") == '{"store_url": "x",}'  # never overwritten
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    assert any("log" in text.lower() for text in shown[1:]), shown
