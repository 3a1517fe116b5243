"""Every CLI command turns every failure into a message, never a traceback (issue 14, "What to build" 1).

A property test over the whole command tree: every leaf command of `abc-mdt` (found by walking the real
parser, so a command added later is covered without editing this file) is run in-process with its
arguments drawn from hostile inputs — FIFOs, /dev/zero behind a symlink, folders, missing and unreadable
files, duplicate keys, 4,301-digit numbers, lone surrogates, a damaged store, over-long and
undecodable arguments. Each run must end with an exit code from the documented set, no traceback and no
"internal error" on stdout or stderr. Options that would reach the network (--tsa-url, --long-term)
are never given.

ABC_MDT_STRESS=full runs 3,000 command lines; `make test` 150.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import signal
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_helpers import case_dict, make_case, open_store

from guideline_db.cli import build_parser, main

FULL = os.environ.get("ABC_MDT_STRESS") == "full"
EXAMPLES = 3000 if FULL else 150
EXIT_CODES = {0, 1, 2, 3, 4, 130}
NETWORK_OPTIONS = {"tsa_url", "long_term"}
PATH_DESTS = {"case", "out", "files", "store", "src", "against", "pdf", "trust", "cert", "bundle", "sources",
              "passphrase_file", "cert_out", "extract_case", "identity", "pseudonym_key_file", "out_dir"}
OUTPUT_DESTS = {"out", "cert_out", "extract_case"}
# Commands that read a file given as an argument with read_bytes()/read_text(): a FIFO blocks them forever
# and /dev/zero behind a symlink ends in MemoryError (the first list). They get neither here until
# they read through guideline_db.case_io.read_bounded; test_unbounded_readers_are_still_unbounded tracks them.
UNBOUNDED_READERS: set[tuple[str, ...]] = set()   # emptied: every reader now goes through read_bounded
SPECIAL_FILES = ("fifo.json", "zero.json")
# Commands whose hostile inputs still end in the last-resort "internal error" line (no traceback, but not a
# located message): fhir import/check decode bundles with json.loads (fix: case_io.read_json_file), the
# archive commands let an OSError through. Their other checks still run; the strict xfails below fail as
# soon as they are fixed, so this set gets emptied.
# verify: a file that starts like a PDF but is not one, with a case store present, still ends in an internal
# error (SigningError from reports/record_check.py); found by the full-count run. Tracked by the strict xfail
# test_verify_a_false_pdf_with_a_store_present; empty this set when that test starts passing.
NOT_YET_LOCATED: set[tuple[str, ...]] = set()
HANG_SECONDS = 5


class Hang(BaseException):
    """Raised by SIGALRM inside a command that blocks (not an Exception: the CLI's last resort must not catch it)."""


def leaf_commands() -> list[tuple[tuple[str, ...], list[argparse.Action]]]:
    found = []

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, (*prefix, name))
                return
        actions = [a for a in parser._actions if not isinstance(a, argparse._HelpAction | argparse._VersionAction)
                   and a.dest not in NETWORK_OPTIONS and a.dest != "help"]
        found.append((prefix, actions))

    walk(build_parser(), ())
    return [item for item in found if item[0]]


COMMANDS = leaf_commands()


@pytest.fixture(autouse=True)
def _in_a_scratch_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hostile arguments include '-' and relative paths: a store or output named '-' lands in a scratch
    folder, never in the checkout."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    folder = tmp_path_factory.mktemp("hostile")
    good = json.dumps(case_dict("ok-1", name="Wang Fang", hospital_id="H1"))
    files = {
        "good.json": good,
        "dup.json": good.replace('"her2_ihc": "1+"', '"her2_ihc": "3+", "her2_ihc": "ultralow"'),
        "bigint.json": good.replace('"age": 60', '"age": ' + "9" * 4301),
        "surrogate.json": good.replace('"Wang Fang"', '"\\ud800"'),
        "inf.json": good.replace('"ki67_percent": 20', '"ki67_percent": Infinity'),
        "bidi.json": good.replace('"Wang Fang"', '"\\u202eWang"'),
        "nested.json": "[" * 50000,
        "empty.json": "",
        "noise.pdf": "%PDF-1.7\n garbage \x00\x01",
        "list.json": "[1, 2, 3]",
    }
    paths: list[str] = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        paths.append(str(folder / name))
    (folder / "latin1.json").write_bytes(b'{"case_id": "\xe9"}')
    paths.append(str(folder / "latin1.json"))
    store = folder / "data" / "cases.sqlite"
    with open_store(folder) as opened:
        opened.save_version(make_case("ok-1", name="Wang Fang"), author="Dr A")
        opened.backup(folder / "good-backup.db")
    damaged = folder / "damaged.sqlite"
    data = bytearray(store.read_bytes())
    data[data.index(b"CREATE TABLE case_versions (") + 27] ^= 0x20
    damaged.write_bytes(bytes(data))
    paths += [str(store), str(damaged), str(folder / "good-backup.db"), str(folder), str(folder / "missing.json"),
              "-", str(folder / ("x" * 300)), str(folder / "new\nline.json"), str(folder / "bad\udcffname.json")]
    inputs = list(paths)
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "fifo.json")
        inputs.append(str(folder / "fifo.json"))
    if Path("/dev/zero").exists():
        (folder / "zero.json").symlink_to("/dev/zero")
        inputs.append(str(folder / "zero.json"))
    outputs = [str(folder / "out" / "x.json"), str(folder / "missing-dir" / "x.json"), str(folder),
               str(folder / "newout.pdf"), str(store), str(folder / "out")]
    (folder / "out").mkdir()
    words = ["", "ok-1", "x" * 5000, "\udcff", "-1", "0", "9" * 40, "nan", "zh", "en", "json", "text", "Dr A",
             "../../etc/passwd", "王小明", "\u202e", "--", "wang"]
    return {"inputs": inputs, "outputs": outputs, "words": words}


@st.composite
def command_lines(draw, pools: dict[str, list[str]]) -> list[str]:
    prefix, actions = draw(st.sampled_from(COMMANDS))
    argv = list(prefix)
    inputs = pools["inputs"] if not any(prefix[:len(k)] == k for k in UNBOUNDED_READERS) else \
        [p for p in pools["inputs"] if not p.endswith(SPECIAL_FILES)]
    for action in actions:
        pool = pools["outputs"] if action.dest in OUTPUT_DESTS else \
            inputs if action.dest in PATH_DESTS else pools["words"]
        if action.choices and action.dest not in PATH_DESTS:
            pool = [*map(str, action.choices), *pools["words"][:3]]
        if not action.option_strings:          # positional
            if action.required or action.nargs in ("+", None) or draw(st.booleans()):
                count = draw(st.integers(1, 3)) if action.nargs in ("+", "*") else 1
                argv += [draw(st.sampled_from(pool)) for _ in range(count)]
            continue
        if not action.required and not draw(st.booleans()):
            continue
        argv.append(action.option_strings[0])
        if action.nargs == 0:
            continue
        count = draw(st.integers(1, 2)) if action.nargs in ("+", "*") else 1
        argv += [draw(st.sampled_from(pool)) for _ in range(count)]
    return argv


def _alarm(signum, frame) -> None:
    raise Hang()


def run(argv: list[str]) -> tuple[int | str, str]:
    """main(argv) in-process; the exit code, or 'hang' when it blocked for HANG_SECONDS."""
    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(b'{"case_id": '))
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code: int | str = main(argv)
            except SystemExit as exc:  # argparse usage errors
                code = exc.code if isinstance(exc.code, int) else 2
            except Hang:
                code = "hang"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        sys.stdin = stdin
    return code, out.getvalue() + err.getvalue()


def test_the_command_tree_is_found() -> None:
    names = {" ".join(prefix) for prefix, _ in COMMANDS}
    assert {"evaluate", "cases import", "cases restore", "cases verify-audit", "db info"} <= names


@pytest.mark.skipif(not hasattr(signal, "SIGALRM") or not hasattr(os, "mkfifo"), reason="POSIX only")
def test_no_command_ever_ends_in_a_traceback(hostile, tmp_path_factory, monkeypatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("COLUMNS", "100")
    for variable in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(home / "data"))
    seen: set[str] = set()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(command_lines(hostile))
    def check(argv: list[str]) -> None:
        code, output = run(argv)
        seen.add(" ".join(a for a in argv[:2] if not a.startswith(("-", "/"))))
        shown = [a if len(a) < 100 else a[:100] + "…" for a in argv]
        assert "Traceback" not in output, (shown, output[-600:])
        if tuple(argv[:2]) not in NOT_YET_LOCATED and tuple(argv[:1]) not in NOT_YET_LOCATED:
            assert "internal error" not in output, (shown, output[-600:])
        assert code != "hang", (shown, "blocked", output[-300:])
        assert code in EXIT_CODES, (shown, code, output[-300:])

    check()
    assert len(seen) >= len(COMMANDS) // 2, seen


HOSTILE_BUNDLE_COMMANDS = [("cases", "export-archive"), ("fhir", "check"), ("fhir", "import"), ("verify",)]
BOUNDED_READERS = [("fhir", "check"), ("fhir", "export"), ("fhir", "import"), ("identity", "create"), ("sign",),
                   ("trust", "add"), ("verify",)]


@pytest.mark.parametrize("command", HOSTILE_BUNDLE_COMMANDS)
def test_hostile_files_get_a_located_message_from_every_reader(hostile, command: tuple[str, ...], tmp_path: Path, monkeypatch) -> None:
    bigint = next(p for p in hostile["inputs"] if p.endswith("bigint.json"))
    folder = str(Path(bigint).parent)
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(Path(folder) / "data"))  # a store exists there
    argv = {("verify",): ["verify", bigint],
            ("fhir", "import"): ["fhir", "import", bigint, "--out", str(tmp_path / "x.json")],
            ("fhir", "check"): ["fhir", "check", bigint],
            ("cases", "export-archive"): ["cases", "export-archive", "--out", folder]}[command]
    code, output = run(argv)
    assert "internal error" not in output and "Traceback" not in output and code == 2, output


@pytest.mark.skipif(not hasattr(signal, "SIGALRM") or not hasattr(os, "mkfifo"), reason="POSIX only")
def test_case_reading_commands_do_not_hang_on_a_fifo(hostile, tmp_path: Path) -> None:
    fifo = next(p for p in hostile["inputs"] if p.endswith("fifo.json"))
    for argv in (["evaluate", fifo], ["cases", "import", fifo], ["cases", "verify-audit", "--against", fifo],
                 ["cases", "restore", fifo], ["report", fifo, "--out", str(tmp_path / "r.pdf")]):
        code, output = run(argv)
        assert code in (1, 2) and "not a regular file" in output or "does not exist" in output, (argv, output)


@pytest.mark.skipif(not hasattr(signal, "SIGALRM") or not Path("/dev/zero").exists(), reason="POSIX only")
@pytest.mark.parametrize("command", BOUNDED_READERS)
def test_every_file_reader_refuses_a_fifo_instead_of_hanging(hostile, command: tuple[str, ...], tmp_path: Path) -> None:
    fifo = next(p for p in hostile["inputs"] if p.endswith("fifo.json"))
    good = next(p for p in hostile["inputs"] if p.endswith("good.json"))
    argv = {("verify",): ["verify", fifo], ("trust", "add"): ["trust", "add", fifo],
            ("identity", "create"): ["identity", "create", "--name", "A", "--role", "B", "--out",
                                     str(tmp_path / "id.p12"), "--passphrase-file", fifo],
            ("fhir", "import"): ["fhir", "import", fifo, "--out", str(tmp_path / "x.json")],
            ("fhir", "check"): ["fhir", "check", fifo],
            ("sign",): ["sign", fifo, "--sign", good, "--meaning", "ok"],
            ("fhir", "export"): ["fhir", "export", good, "--out", str(tmp_path / "x.json"), "--pseudonymise",
                                 "--pseudonym-key-file", fifo]}[command]
    assert good
    code, output = run(argv)
    assert code in (1, 2) and "regular file" in output, (code, output)


def test_verify_a_false_pdf_with_a_store_present(hostile, monkeypatch) -> None:
    noise = next(p for p in hostile["inputs"] if p.endswith("noise.pdf"))
    monkeypatch.setenv("ABC_MDT_DATA_DIR", str(Path(noise).parent / "data"))  # a store exists there
    code, output = run(["verify", noise, "--case-store", ""])
    assert "internal error" not in output and "Traceback" not in output, output
    # 2/4: the file is refused or judged; 1: the store beside it (damaged by an earlier hostile input of this
    # module) cannot be opened — also a located message
    assert code in (2, 4) or (code == 1 and "cannot open the case store" in output), (code, output)
