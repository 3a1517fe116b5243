"""Case list and audit log exports: CSV in UTF-8 with a BOM (what Excel needs), the right columns, no
formula injection; JSON; the `cases list --format csv` and `cases audit-log` commands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from store_helpers import case_dict

from guideline_db.case_io import parse_case
from guideline_db.cli import main
from guideline_db.interop import lists
from guideline_db.store import CaseStore


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(tmp_path / "data"))
    with CaseStore.open() as store:
        store.save_version(parse_case(case_dict("csv-1", name="张秀英", hospital_id="ZY2024-000731")), "Dr 李")
        store.save_version(parse_case(case_dict("csv-2", name="=HYPERLINK(\"http://x\")", hospital_id="+1",
                                                subtype="triple_negative")), "Dr Wang")
    return tmp_path / "data"


def _read_csv(raw: bytes) -> list[list[str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_case_list_csv_opens_with_the_right_columns_and_encoding(data_dir, tmp_path, capsys):
    out = tmp_path / "list.csv"
    assert main(["cases", "list", "--format", "csv", "--out", str(out)]) == 0
    raw = out.read_bytes()
    assert b"\r\n" in raw                                   # spreadsheet line ends
    rows = _read_csv(raw)
    assert rows[0] == [title for _, title in lists.CASE_COLUMNS]
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_id) == {"csv-1", "csv-2"}
    assert by_id["csv-1"]["Name"] == "张秀英" and by_id["csv-1"]["Hospital ID"] == "ZY2024-000731"
    assert by_id["csv-2"]["Subtype"] == "triple_negative"
    assert by_id["csv-2"]["Name"].startswith("'=") and by_id["csv-2"]["Hospital ID"] == "'+1"   # not a formula


def test_case_list_csv_to_stdout_and_json(data_dir, capsys):
    assert main(["cases", "list", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("\ufeffCase ID,")
    assert main(["cases", "list", "--format", "json"]) == 0
    assert {r["case_id"] for r in json.loads(capsys.readouterr().out)} == {"csv-1", "csv-2"}


def test_text_list_with_out_asks_for_a_format(data_dir, tmp_path, capsys):
    assert main(["cases", "list", "--out", str(tmp_path / "x")]) == 2
    assert "--format csv" in capsys.readouterr().err


def test_audit_log_csv_json_and_text(data_dir, tmp_path, capsys):
    assert main(["cases", "audit-log", "--format", "json", "--case", "csv-1"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert entries and {e["case_id"] for e in entries} == {"csv-1"}
    assert list(entries[0]) == [key for key, _ in lists.AUDIT_COLUMNS]
    assert entries[0]["actor"] == "Dr 李"
    out = tmp_path / "audit.csv"
    assert main(["cases", "audit-log", "--format", "csv", "--out", str(out)]) == 0
    rows = _read_csv(out.read_bytes())
    assert rows[0] == [title for _, title in lists.AUDIT_COLUMNS]
    assert {r[4] for r in rows[1:]} == {"csv-1", "csv-2"}
    assert main(["cases", "audit-log"]) == 0
    assert "csv-2" in capsys.readouterr().out


def test_reading_the_audit_log_does_not_write_to_it(data_dir):
    with CaseStore.open() as store:
        before = lists.audit_rows(store)
        lists.audit_rows(store, "csv-1")
        assert lists.audit_rows(store) == before


def test_html_for_printing_escapes_and_counts():
    rows = [{"case_id": "a<b", "name": "张"}]
    page = lists.to_html(rows, lists.CASE_COLUMNS, "Cases")
    assert "a&lt;b" in page and "张" in page and "1 rows" in page
    with pytest.raises(ValueError):
        lists.render(rows, lists.CASE_COLUMNS, "xlsx")
