"""`abc-mdt report | sign | verify | identity create | trust` end to end, through the real entry point."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT
from pypdf import PdfReader
from test_report_support import decided_case, font_problems, page_text, squash, stamp_text

from guideline_db.case_io import case_to_json
from guideline_db.cli import main

PASSPHRASES = {"recorder": "recorder passphrase 1", "chair": "chair passphrase 2"}


@pytest.fixture(autouse=True)
def _private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("ABC_MDT_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def workdir(tmp_path):
    case_file = tmp_path / "case.json"
    case_file.write_text(case_to_json(decided_case()), "utf-8")
    for who, secret in PASSPHRASES.items():
        (tmp_path / f"{who}.pw").write_text(secret + "\n", "utf-8")
    return tmp_path


def make_identity(folder, who: str, role: str) -> None:
    assert main(["identity", "create", "--name", who.title(), "--role", role, "--out", str(folder / f"{who}.p12"),
                 "--passphrase-file", str(folder / f"{who}.pw"), "--key-type", "ecdsa-p256",
                 "--cert-out", str(folder / f"{who}.pem")]) == 0


def test_identity_report_sign_verify(workdir, capsys):
    make_identity(workdir, "recorder", "MDT secretary")
    make_identity(workdir, "chair", "MDT 主席")
    if os.name == "posix":
        assert (workdir / "chair.p12").stat().st_mode & 0o777 == 0o600
    out = workdir / "summary.pdf"
    assert main(["report", str(workdir / "case.json"), "--out", str(out), "--lang", "en", "--sign",
                 str(workdir / "recorder.p12"), "--passphrase-file", str(workdir / "recorder.pw"),
                 "--meaning", "author"]) == 0
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600, "a report carries the patient's name"
    assert main(["sign", str(out), "--id", str(workdir / "chair.p12"), "--passphrase-file",
                 str(workdir / "chair.pw"), "--meaning", "chair", "--case", str(workdir / "case.json")]) == 0
    assert out.stat().st_mode & 0o777 == 0o600
    capsys.readouterr()
    code = main(["verify", str(out), "--trust", str(workdir / "recorder.pem"), "--trust", str(workdir / "chair.pem")])
    printed = capsys.readouterr()
    assert code == 0, printed.out
    for value in ["Recorder — MDT secretary", "Chair — MDT 主席", "author: I wrote this summary",
                  "approved by MDT chair", "trusted", "intact, valid", "OK: every signature", "(exit 0)"]:
        assert value in printed.out, value
    for secret in PASSPHRASES.values():
        assert secret not in printed.out + printed.err
    text = squash(page_text(out.read_bytes()))
    assert decided_case().case_id in text
    assert font_problems(out.read_bytes()) == []


def test_verify_fails_on_untrusted_and_on_tampered(workdir, capsys):
    make_identity(workdir, "chair", "MDT chair")
    make_identity(workdir, "recorder", "MDT secretary")
    out = workdir / "summary.pdf"
    assert main(["report", str(workdir / "case.json"), "--out", str(out), "--sign", str(workdir / "chair.p12"),
                 "--passphrase-file", str(workdir / "chair.pw"), "--meaning", "chair"]) == 0
    capsys.readouterr()
    assert main(["verify", str(out)]) == 3
    assert "no trust anchor is configured (abc-mdt trust add CERT.pem)" in capsys.readouterr().out
    assert main(["verify", str(out), "--trust", str(workdir / "recorder.pem")]) == 3
    assert main(["verify", str(out), "--trust", str(workdir / "chair.pem")]) == 0
    data = bytearray(out.read_bytes())
    data[data.index(b"/Title (") + 10] ^= 1
    out.write_bytes(bytes(data))
    capsys.readouterr()
    assert main(["verify", str(out), "--trust", str(workdir / "chair.pem")]) == 4
    assert "problem:   document modified after signing" in capsys.readouterr().out


def test_trust_store_add_list_remove_decides_verify(workdir, capsys):
    make_identity(workdir, "chair", "MDT chair")
    out = workdir / "summary.pdf"
    assert main(["report", str(workdir / "case.json"), "--out", str(out), "--sign", str(workdir / "chair.p12"),
                 "--passphrase-file", str(workdir / "chair.pw"), "--meaning", "chair"]) == 0
    assert main(["verify", str(out)]) == 3
    capsys.readouterr()
    assert main(["trust", "add", str(workdir / "chair.pem")]) == 0
    added = capsys.readouterr().out
    assert "trusted:" in added and "Chair" in added
    store = workdir / "config" / "trust"
    (pem,) = store.glob("*.pem")
    if os.name == "posix":
        assert pem.stat().st_mode & 0o777 == 0o600
    assert main(["trust", "add", str(workdir / "chair.pem")]) == 0
    assert "already trusted" in capsys.readouterr().out
    assert main(["trust", "list"]) == 0
    assert "1 certificate(s)" in capsys.readouterr().out
    assert main(["verify", str(out)]) == 0
    assert main(["verify", str(out), "--no-store"]) == 3
    assert main(["trust", "remove", pem.stem[:12]]) == 0
    assert main(["verify", str(out)]) == 3
    assert main(["trust", "add", str(workdir / "case.json")]) == 1
    assert "not a certificate" in capsys.readouterr().err


def test_invalid_case_exits_2_with_located_messages(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    data = json.loads(case_to_json(decided_case()))
    data["therapies"] = [{"setting": "advanced", "agents": ["letrozole"], "start": "2024-01-01"}]
    bad.write_text(json.dumps(data), "utf-8")
    assert main(["report", str(bad), "--out", str(tmp_path / "x.pdf")]) == 2
    assert "therapies[0].line:" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_wrong_passphrase_fails_clearly(workdir, capsys):
    make_identity(workdir, "chair", "MDT chair")
    code = main(["report", str(workdir / "case.json"), "--out", str(workdir / "s.pdf"), "--sign",
                 str(workdir / "chair.p12"), "--passphrase-file", str(workdir / "recorder.pw"), "--meaning", "chair"])
    assert code == 1
    assert "wrong passphrase" in capsys.readouterr().err
    assert not (workdir / "s.pdf").exists()


@pytest.mark.parametrize("argv", [
    ["identity", "create", "--name", "A", "--role", "B", "--out", "a.p12", "--passphrase", "secret123"],
    ["identity", "create", "--name", "A", "--role", "B", "--out", "a.p12", "--passphrase=secret123"],
    ["sign", "x.pdf", "--id", "a.p12", "--meaning", "chair", "--passphrase", "secret123"],
    ["report", "case.json", "--out", "x.pdf", "--sign", "a.p12", "--password", "secret123"],
])
def test_passphrase_is_never_accepted_on_the_command_line_nor_echoed(workdir, capsys, monkeypatch, argv):
    monkeypatch.chdir(workdir)
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    printed = capsys.readouterr()
    assert "not accepted" in printed.err and "--passphrase-file" in printed.err
    assert "secret123" not in printed.out + printed.err
    assert not (workdir / "a.p12").exists()


def test_there_is_no_way_to_print_another_name(workdir, capsys):
    make_identity(workdir, "chair", "MDT chair")
    with pytest.raises(SystemExit) as caught:
        main(["report", str(workdir / "case.json"), "--out", str(workdir / "x.pdf"), "--sign",
              str(workdir / "chair.p12"), "--passphrase-file", str(workdir / "chair.pw"), "--meaning", "chair",
              "--name", "Li Mei"])
    assert caught.value.code == 2
    assert not (workdir / "x.pdf").exists()


def test_extract_case_gives_back_the_embedded_case(workdir, capsys):
    out = workdir / "plain.pdf"
    assert main(["report", str(workdir / "case.json"), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["report", "--extract-case", str(out)]) == 0
    extracted = json.loads(capsys.readouterr().out)
    assert extracted == json.loads((workdir / "case.json").read_text("utf-8"))
    assert main(["report", "--extract-case", str(out), "--extract-evaluation", "--out", str(workdir / "ev.json")]) == 0
    assert json.loads((workdir / "ev.json").read_text("utf-8"))["case_id"] == decided_case().case_id


def test_undrawable_character_is_refused_at_its_field(workdir, capsys):
    data = json.loads((workdir / "case.json").read_text("utf-8"))
    data["mdt"]["decision"]["notes"] = "随访 \U0001F9EC 后再议"
    (workdir / "emoji.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    assert main(["report", str(workdir / "emoji.json"), "--out", str(workdir / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert "mdt.decision.notes: no font of the report can draw '\U0001F9EC' (U+1F9EC)" in err
    assert not (workdir / "x.pdf").exists()


def test_identity_prompt_asks_twice(workdir, monkeypatch):
    answers = iter(["typed passphrase", "typed passphrase", "one", "two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["identity", "create", "--name", "A", "--role", "B", "--out", str(workdir / "a.p12"),
                 "--key-type", "ecdsa-p256"]) == 0
    assert main(["identity", "create", "--name", "A", "--role", "B", "--out", str(workdir / "b.p12")]) == 1
    assert not (workdir / "b.p12").exists()


def test_meaning_needs_a_signature(workdir):
    assert main(["report", str(workdir / "case.json"), "--out", str(workdir / "x.pdf"), "--meaning", "chair"]) == 2


def test_unsigned_report_in_english_via_the_installed_entry_point(workdir):
    out = workdir / "plain.pdf"
    result = subprocess.run([sys.executable, "-m", "guideline_db.cli", "report", str(workdir / "case.json"),
                             "--out", str(out), "--lang", "en"], capture_output=True, text=True, cwd=ROOT, timeout=120,
                            env={**os.environ, "ABC_MDT_CONFIG_DIR": str(workdir / "config")})
    assert result.returncode == 0, result.stderr
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert "Advanced breast cancer MDT case summary" in reader.metadata.title
    verify = subprocess.run([sys.executable, "-m", "guideline_db.cli", "verify", str(out)], capture_output=True,
                            text=True, cwd=ROOT, timeout=120)
    assert verify.returncode == 4 and "the document has no signature" in verify.stdout


def test_signing_without_a_meaning_stops_before_the_passphrase_prompt(workdir, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": pytest.fail("prompted for a passphrase"))
    make_identity(workdir, "chair", "MDT chair")
    assert main(["report", str(workdir / "case.json"), "--out", str(workdir / "x.pdf"), "--sign",
                 str(workdir / "chair.p12")]) == 2
    assert not (workdir / "x.pdf").exists()


def test_the_stamp_speaks_the_reports_language(workdir):
    make_identity(workdir, "chair", "MDT chair")
    out = workdir / "en.pdf"
    assert main(["report", str(workdir / "case.json"), "--out", str(out), "--lang", "en"]) == 0
    assert main(["sign", str(out), "--id", str(workdir / "chair.p12"), "--passphrase-file",
                 str(workdir / "chair.pw"), "--meaning", "author"]) == 0
    text = squash(stamp_text(out.read_bytes()))
    assert "Signed" in text and "签署时间" not in text


def test_verify_with_the_case_store_sees_a_signature_cut_off(workdir, capsys, monkeypatch):
    """The file alone cannot prove a signature that is not in it; the case store's record can."""
    import hashlib

    from guideline_db.store import CaseStore
    from reports.case_hash import case_version_hash

    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(workdir / "data"))
    make_identity(workdir, "recorder", "MDT secretary")
    make_identity(workdir, "chair", "MDT chair")
    case = decided_case()
    store = CaseStore.open()
    version = store.save_version(case, author="tester").version
    out = workdir / "summary.pdf"
    assert main(["report", str(workdir / "case.json"), "--out", str(out), "--sign", str(workdir / "recorder.p12"),
                 "--passphrase-file", str(workdir / "recorder.pw"), "--meaning", "author"]) == 0
    after_author = out.read_bytes()
    signed = store.mark_signed(case.case_id, version, hashlib.sha256(after_author).hexdigest(), "Recorder", "author")
    assert main(["sign", str(out), "--id", str(workdir / "chair.p12"), "--passphrase-file",
                 str(workdir / "chair.pw"), "--meaning", "chair"]) == 0
    store.mark_signed(case.case_id, signed.version, hashlib.sha256(out.read_bytes()).hexdigest(), "Chair",
                      "approved by MDT chair")
    store.close()
    assert case_version_hash(case) == signed.sha256
    trust = ["--trust", str(workdir / "recorder.pem"), "--trust", str(workdir / "chair.pem")]
    capsys.readouterr()
    assert main(["verify", str(out), *trust, "--case-store"]) == 0, capsys.readouterr().out
    cut = workdir / "cut.pdf"
    cut.write_bytes(after_author)
    assert main(["verify", str(cut), *trust]) == 0, "the file alone is a valid, less-signed record"
    capsys.readouterr()
    assert main(["verify", str(cut), *trust, "--case-store"]) == 4
    printed = capsys.readouterr().out
    assert "the case store records 1 later signature(s) of this case version that this file does not carry — " \
           "Chair (approved by MDT chair)" in printed
