"""The one reader (issue 14, first list, "Crashes and hangs on input"): each attack as the tester made it,
through the real CLI commands that read case files, asserting the located message and no traceback."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from store_helpers import case_dict

from guideline_db.case_io import (
    MAX_CASE_BYTES,
    CaseFileError,
    load_case,
    parse_case,
    parse_case_text,
    read_case_file,
)
from guideline_db.cli import main
from guideline_db.store import CaseStore


def case_text(name: str = "Wang Fang", **changes) -> str:
    data = case_dict("reader-1", name=name, hospital_id="H0012345")
    data.update(changes)
    return json.dumps(data, ensure_ascii=False)


def problems_of(text: str) -> list[str]:
    with pytest.raises(CaseFileError) as caught:
        parse_case_text(text)
    return caught.value.problems


def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
            *argv: str) -> tuple[int, str]:
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(tmp_path / "data"))
    code = main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    return code, captured.err


READING_COMMANDS = (("evaluate",), ("cases", "import"))


def test_duplicate_key_is_refused_with_its_path() -> None:
    text = case_text().replace('"her2_ihc": "1+"', '"her2_ihc": "3+", "her2_ihc": "ultralow"')
    assert "pathology[0].her2_ihc: duplicate key (given more than once; nothing is assumed)" in problems_of(text)


@pytest.mark.parametrize(("literal", "expected"), [
    ("Infinity", "biomarkers.pdl1_cps: Infinity is not a JSON number"),
    ("-Infinity", "biomarkers.pdl1_cps: -Infinity is not a JSON number"),
    ("NaN", "biomarkers.pdl1_cps: NaN is not a JSON number"),
    ("1e309", "biomarkers.pdl1_cps: number 1e309 is not finite"),
    ("1" * 31, "biomarkers.pdl1_cps: number with 31 digits (at most 30)"),
])
def test_non_finite_and_over_long_numbers_are_refused(literal: str, expected: str) -> None:
    text = case_text(biomarkers={}).replace('"biomarkers": {}', f'"biomarkers": {{"pdl1_cps": {literal}}}')
    assert any(p.startswith(expected) for p in problems_of(text)), problems_of(text)


def test_infinity_from_the_form_is_refused_too() -> None:
    data = case_dict("reader-2")
    data["biomarkers"] = {"pdl1_cps": float("inf")}
    with pytest.raises(CaseFileError) as caught:
        parse_case(data)
    assert any(p.startswith("biomarkers.pdl1_cps: number inf is not finite") for p in caught.value.problems)


@pytest.mark.parametrize("argv", READING_COMMANDS)
def test_a_4301_digit_integer_is_a_located_error_in_every_reading_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv) -> None:
    path = tmp_path / "big.json"
    path.write_text(case_text().replace('"age": 60', '"age": ' + "9" * 4301), encoding="utf-8")
    code, err = run_cli(tmp_path, monkeypatch, capsys, *argv, str(path))
    assert code == 2
    assert "patient.age: number with 4301 digits (at most 30)" in err


@pytest.mark.parametrize("argv", READING_COMMANDS)
def test_a_lone_surrogate_is_refused_by_every_reading_command(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv) -> None:
    path = tmp_path / "surrogate.json"
    path.write_text(case_text(name="Wang \\ud800 Fang").replace("\\\\ud800", "\\ud800"), encoding="utf-8")
    code, err = run_cli(tmp_path, monkeypatch, capsys, *argv, str(path))
    assert code == 2
    assert "patient.name: lone surrogate U+D800 at position 6 (not valid Unicode)" in err


def test_report_refuses_a_lone_surrogate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("reports.cli")
    path = tmp_path / "surrogate.json"
    path.write_text(case_text().replace('"Wang Fang"', '"\\udc00"'), encoding="utf-8")
    code, err = run_cli(tmp_path, monkeypatch, capsys, "report", str(path), "--out", str(tmp_path / "r.pdf"))
    assert code != 0 and "lone surrogate U+DC00" in err
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("name", "Wang\x00Fang", "patient.name: control character U+0000 at position 5"),
    ("name", "\u202eWang", "patient.name: bidirectional override character U+202E at position 1"),
    ("hospital_id", "H\u2066123", "patient.hospital_id: bidirectional override character U+2066 at position 2"),
    ("hospital_id", "H12\n3", "patient.hospital_id: control character U+000A at position 4 (line feed and tab"),
    ("hospital_id", "H1\x1b[31m", "patient.hospital_id: control character U+001B at position 3"),
])
def test_control_and_bidi_characters_in_names_and_ids(field: str, value: str, expected: str) -> None:
    data = case_dict("reader-3")
    data["patient"][field] = value
    assert any(p.startswith(expected) for p in problems_of(json.dumps(data))), problems_of(json.dumps(data))


def test_line_feed_and_tab_are_allowed_in_free_text() -> None:
    data = case_dict("reader-4", notes="line one\n\tline two")
    assert parse_case_text(json.dumps(data)).mdt.decision.notes == "line one\n\tline two"
    data["mdt"]["decision"]["notes"] = "bell\x07"
    assert any(p.startswith("mdt.decision.notes: control character U+0007") for p in problems_of(json.dumps(data)))


@pytest.mark.parametrize(("path", "length", "cap"), [
    (("mdt", "decision", "notes"), 10_001, 10_000), (("patient", "name"), 201, 200),
    (("patient", "hospital_id"), 65, 64), (("pathology", 0, "site"), 10_001, 10_000),
])
def test_free_text_caps_name_the_field_and_its_length(path: tuple, length: int, cap: int) -> None:
    data = case_dict("reader-5", notes="x")
    holder = data
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = "y" * length
    dotted = ".".join(str(p) for p in path).replace(".0.", "[0].")
    assert f"{dotted}: text of {length} characters is too long (at most {cap})" in problems_of(json.dumps(data))


def test_a_megabyte_invalid_value_is_quoted_at_most_80_characters() -> None:
    assert problems_of(case_text(presentation="z" * 1_000_000)) == [
        "presentation: text of 1000000 characters is too long (at most 10000)"]
    problems = problems_of(case_text(presentation="z" * 9_000))
    assert problems and all(len(p) < 600 for p in problems), [len(p) for p in problems]
    assert any(p.startswith("presentation: 'zzzz") and "(9002 characters)" in p for p in problems), problems


def test_symlink_to_dev_zero_is_refused_before_reading(tmp_path: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    link = tmp_path / "case.json"
    link.symlink_to("/dev/zero")
    with pytest.raises(CaseFileError, match=r"is not a regular file \(a device\)"):
        load_case(link)


@pytest.mark.parametrize("device", ["/dev/urandom", "/dev/stdin"])
def test_devices_are_refused(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    with pytest.raises(CaseFileError, match="is not a regular file"):
        load_case(Path(device))


def test_a_fifo_does_not_hang(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "case.json"
    os.mkfifo(fifo)
    outcome: list[str] = []
    worker = threading.Thread(target=lambda: outcome.append(_problem(fifo)), daemon=True)
    worker.start()
    worker.join(10)
    assert outcome and "is not a regular file (a pipe)" in outcome[0]


def _problem(path: Path) -> str:
    try:
        load_case(path)
    except CaseFileError as exc:
        return exc.problems[0]
    return "accepted"


def test_a_regular_file_larger_than_the_limit_is_refused_while_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    with path.open("wb") as handle:
        handle.write(b" " * (MAX_CASE_BYTES + 1))
    with pytest.raises(CaseFileError, match=f"larger than {MAX_CASE_BYTES} bytes"):
        load_case(path)


def test_directories_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match=r"not a regular file \(a folder\)"):
        load_case(tmp_path)
    with pytest.raises(CaseFileError, match="cannot read .*No such file"):
        load_case(tmp_path / "missing.json")


def test_bom_is_accepted_and_invalid_utf8_is_located(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + case_text().encode("utf-8"))
    assert load_case(path).case_id == "reader-1"
    path.write_bytes(case_text().encode("utf-8").replace(b"Wang", b"W\xffng"))
    with pytest.raises(CaseFileError, match=r"not UTF-8 text \(invalid byte at offset \d+\)"):
        load_case(path)


def test_import_hashes_the_bytes_it_read(tmp_path: Path) -> None:
    """The audit names the hash of exactly the bytes validated and stored: read once, hashed as read."""
    path = tmp_path / "case.json"
    raw = case_text().encode("utf-8")
    path.write_bytes(raw)
    read = read_case_file(path)
    assert read.sha256 == hashlib.sha256(raw).hexdigest() and read.size == len(raw)
    with CaseStore.open(tmp_path / "data" / "cases.sqlite", mounts_file=None) as store:
        store.import_case_file(path, "tester")
        path.write_bytes(case_text(presentation="recurrent_metastatic").encode("utf-8"))  # rewritten after
        entry = store.audit_entries("reader-1")[-1]
        assert entry.detail == f"from case.json (sha256 {hashlib.sha256(raw).hexdigest()})"
        assert store.load("reader-1")[0].presentation == "de_novo_stage_iv"


def test_trailing_data_and_deep_nesting_are_located() -> None:
    assert problems_of(case_text() + " {}")[0].startswith("(file): not valid JSON at line 1: extra data")
    assert problems_of("[" * 100_000) == ["(file): JSON nested too deeply"]


def test_the_cli_reads_a_fifo_without_hanging(tmp_path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    result = subprocess.run([sys.executable, "-m", "guideline_db.cli", "evaluate", str(fifo)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2 and "is not a regular file (a pipe)" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_megabyte_case_id_on_the_command_line_is_quoted_short(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_cli(tmp_path, monkeypatch, capsys, "cases", "export", "k" * 1_000_000, "--out", "-")
    assert code == 1 and "no case 'kkkk" in err and len(err) < 1000


def test_a_device_the_user_may_not_open_is_still_named_a_device(tmp_path: Path, monkeypatch) -> None:
    """Run as a normal user, /dev/zero (mode 0600 on some machines) refuses the open itself: the message still
    says what the path is, not only 'permission denied'."""
    import os

    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    real_open = os.open

    def refusing(path, *args, **kwargs):
        if str(path).endswith("case.json"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    link = tmp_path / "case.json"
    link.symlink_to("/dev/zero")
    monkeypatch.setattr(os, "open", refusing)
    with pytest.raises(CaseFileError, match=r"is not a regular file \(a device\)"):
        load_case(link)
