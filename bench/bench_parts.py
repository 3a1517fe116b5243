"""Benchmark parts that need the report, store and GUI packages."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "tests" / "cases" / "p08-ultralow-after-cdk.json"


def _figure(name: str, samples: list[float], unit: str, target: float | None, baseline: list[float] | None = None,
            baseline_name: str = "") -> dict:
    from run import figure

    return figure(name, samples, unit, target, baseline, baseline_name)


def _timed(function, repeat: int) -> list[float]:
    from run import timed

    return timed(function, repeat)


def bench_report() -> list[dict]:
    """Render the PDF/A summary, then render + the certifying (first) signature per key type, and a
    second signature on top (the chair after the author). Targets (issue 12): render + sign
    <= 500 ms with RSA-3072, <= 300 ms with ECDSA P-256; B-B (a time-stamp adds the TSA's round trip)."""
    from guideline_db.case_io import load_case
    from guideline_db.engine import evaluate
    from reports.identity import create_identity
    from reports.pdf_report import build_report
    from reports.signing import sign_case_report

    case = load_case(CASE)
    evaluation = evaluate(case)
    build_report(case, evaluation)
    baseline = _timed(lambda: evaluate(case), 50)
    render = _timed(lambda: build_report(case, evaluation), 15)
    results = [_figure("report: render PDF/A (typical case, zh)", render, "ms", None, baseline, "one evaluation")]
    targets = {"ecdsa-p256": 300, "rsa3072": 500}
    with tempfile.TemporaryDirectory() as folder:
        for key_type, target in targets.items():
            identity = Path(folder) / f"{key_type}.p12"
            create_identity("Bench Chair", "MDT chair", identity, b"bench-pass", key_type=key_type)

            def render_and_sign(path: Path = identity) -> bytes:
                return sign_case_report(build_report(case, evaluation), path, b"bench-pass", "author",
                                        timestamp_url="")[0]

            results.append(_figure(f"report: render + sign ({key_type})", _timed(render_and_sign, 10), "ms", target,
                                   render, "render alone"))
            once = render_and_sign()
            second = _timed(lambda path=identity, pdf=once: sign_case_report(pdf, path, b"bench-pass", "reviewer",
                                                                              timestamp_url=""), 10)
            results.append(_figure(f"report: second signature ({key_type})", second, "ms", target))
    return results


def bench_store() -> list[dict]:
    from guideline_db.store import CaseStore
    from guideline_db.store.bench import populate

    with tempfile.TemporaryDirectory() as folder:
        store = CaseStore.open(Path(folder) / "cases.sqlite")
        try:
            populate(store, 100_000)
            baseline = _timed(lambda: store.list_cases(search="", limit=50), 20)
            results = [_figure("store: list first 50 of 100,000 cases", baseline, "ms", 50)]
            for query in ("wa", "王", "wang f", "H0012", "triple", "三阴", "bench 王"):
                samples = _timed(lambda q=query: store.list_cases(search=q), 9)
                results.append(_figure(f"store: search '{query}' in 100,000 cases", samples, "ms", 50, baseline,
                                       "list without search"))
            return results
        finally:
            store.close()


GUI_PROBE = r"""
import os, sys, time, json
start = float(sys.argv[1])
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from desktop_app.main import build_app_for_benchmark
app, window = build_app_for_benchmark(["--demo"])
window.show()
app.processEvents()
shown = time.perf_counter() - start
figures = {"start_s": shown}
figures.update(window.benchmark_interactions())

def peak_rss_mb():
    # VmHWM: the peak of this process's own memory. Not ru_maxrss: Linux carries the parent's peak
    # across fork+exec into it, so after run.py has built a 100,000-case store it reported ~840 MB.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

figures["rss_mb"] = peak_rss_mb()
print(json.dumps(figures))
"""


def bench_gui() -> list[dict]:
    import json
    import os

    runs = []
    with tempfile.TemporaryDirectory() as folder:
        # Its own empty store and settings: the probe must never open (or time) the user's own store.
        env = {**os.environ, "ABC_MDT_DATA_DIR": str(Path(folder) / "data"),
               "ABC_MDT_CONFIG_DIR": str(Path(folder) / "config")}
        for _ in range(5):
            start = time.perf_counter()
            out = subprocess.run([sys.executable, "-c", GUI_PROBE, repr(start)], capture_output=True, text=True,
                                 timeout=120, cwd=str(ROOT), env=env)
            if out.returncode != 0:
                raise RuntimeError(out.stderr.strip().splitlines()[-1] if out.stderr.strip() else "GUI probe failed")
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    baseline = _timed(lambda: subprocess.run([sys.executable, "-c", "import json"], check=True), 5)
    results = [_figure("GUI: process start → main window shown (offscreen)", [r["start_s"] * 1000 for r in runs], "ms",
                       1500, baseline, "python -c 'import json'")]
    for key, name, target in (("step_change_ms", "GUI: wizard step change", 16),
                              ("live_update_ms", "GUI: live re-evaluation after a field change", 16)):
        if key in runs[0]:
            results.append(_figure(name, [r[key] for r in runs], "ms", target))
    if "debounce_ms" in runs[0]:
        # Not work: the editor waits this long after the last keystroke before re-evaluating (the live
        # update above is measured from the change with this wait skipped).
        results.append(_figure("GUI: debounce before a live update (by design)", [r["debounce_ms"] for r in runs],
                               "ms", None))
    results.append(_figure("memory: GUI peak RSS with a case open", [r["rss_mb"] for r in runs], "MB", 300))
    return results
