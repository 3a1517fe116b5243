"""`make bench`: speed and memory figures, each a median over repeated runs with min/max, each beside a
baseline measured in the same run so that the ratio holds on a noisy machine. Writes bench/results.json.

Targets (the product's, to beat): evaluation ≤ 2 ms; 10,000 therapies ≤ 2 s; live update ≤ 16 ms; 10,000 cases ≤ 20 s; CLI ≤ 0.5 s;
GUI start ≤ 1.5 s; render + sign ≤ 1 s; search in 100,000 cases ≤ 50 ms; GUI ≤ 300 MB.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
SHARED = ROOT.parent / "shared" / "cases"
RESULTS = ROOT / "bench" / "results.json"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def timed(function: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def figure(name: str, samples: list[float], unit: str, target: float | None, baseline: list[float] | None = None,
           baseline_name: str = "") -> dict:
    ordered = sorted(samples)
    result = {"name": name, "unit": unit, "median": statistics.median(samples), "min": ordered[0], "max": ordered[-1],
              "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], "runs": len(samples), "target": target}
    if baseline:
        result["baseline"] = baseline_name
        result["baseline_median"] = statistics.median(baseline)
        result["ratio"] = result["median"] / result["baseline_median"] if result["baseline_median"] else None
    result["meets_target"] = None if target is None else result["median"] <= target
    return result


def case_paths() -> list[Path]:
    paths = sorted(p for p in (ROOT / "tests" / "cases").glob("*.json") if not p.name.endswith(".expected.json"))
    if SHARED.is_dir():
        paths += sorted(p for p in SHARED.glob("*.json") if not p.name.endswith(".expected.json"))
    return paths


def bench_engine() -> list[dict]:
    from guideline_db.case_io import load_case
    from guideline_db.database import PACKAGED_DATABASE
    from guideline_db.engine import evaluate

    conn = sqlite3.connect(f"file:{PACKAGED_DATABASE}?mode=ro&immutable=1", uri=True)
    baseline = timed(lambda: conn.execute("select * from regimen_options where id = ?", ("T8-L1-NAIVE-P1",)).fetchall(), 2000)
    results = []
    for path in case_paths():
        case = load_case(path)
        evaluate(case)
        results.append(figure(f"engine: evaluate {path.stem}", timed(lambda c=case: evaluate(c), 500), "ms", 2.0,
                              baseline, "one indexed SELECT on the guideline database"))
    return results


def bench_long_history() -> list[dict]:
    """Issue 10, item 8: one case with 10,000 therapies, beside the same case with 10 (linear: ratio ~1,000)."""
    from builders import build
    from scaling_cases import many_therapies

    from guideline_db.engine import evaluate

    small, large = build(many_therapies(10)), build(many_therapies(10000))
    evaluate(small)
    baseline = timed(lambda: evaluate(small), 50)
    return [figure("engine: evaluate a case with 10,000 therapies", timed(lambda: evaluate(large), 5), "ms", 2000.0,
                   baseline, "the same case with 10 therapies")]


def bench_batch() -> dict:
    from hypothesis import HealthCheck, given, settings
    from strategies import cases

    from guideline_db.case_io import parse_case
    from guideline_db.engine import evaluate

    generated: list = []

    @settings(max_examples=10000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(cases())
    def collect(data: dict) -> None:
        generated.append(parse_case(data))

    collect()
    start = time.perf_counter()
    for case in generated:
        evaluate(case)
    seconds = time.perf_counter() - start
    return {"name": f"batch: re-evaluate {len(generated)} generated cases", "unit": "s", "median": seconds,
            "min": seconds, "max": seconds, "runs": 1, "target": 20.0, "meets_target": seconds <= 20.0,
            "cases_per_second": len(generated) / seconds}


def bench_cli() -> list[dict]:
    cli = Path(sys.executable).parent / "abc-mdt"
    case = str(case_paths()[0])
    baseline = timed(lambda: subprocess.run([sys.executable, "-c", "import json"], check=True), 10)
    samples = timed(lambda: subprocess.run([str(cli), "evaluate", case], check=True, capture_output=True), 10)
    peak = subprocess.run(["/usr/bin/time", "-f", "%M", str(cli), "evaluate", case], capture_output=True, text=True)
    results = [figure("CLI: abc-mdt evaluate (whole process)", samples, "ms", 500, baseline, "python -c 'import json'")]
    if peak.returncode == 0 and peak.stderr.strip().splitlines():
        kib = int(peak.stderr.strip().splitlines()[-1])
        results.append({"name": "memory: CLI peak RSS", "unit": "MB", "median": kib / 1024, "min": kib / 1024,
                        "max": kib / 1024, "runs": 1, "target": None, "meets_target": None})
    return results


def run_optional(name: str, function: Callable[[], list[dict]]) -> list[dict]:
    """Parts that need other packages (GUI, reports, store); a failure is reported, not fatal."""
    try:
        return function()
    except Exception as error:  # noqa: BLE001 - a benchmark part failing must not hide the others
        return [{"name": f"{name}: not measured", "error": f"{type(error).__name__}: {error}"}]


def main() -> int:
    from bench_gui_entry import bench_gui_entry
    from bench_parts import bench_gui, bench_report, bench_store
    from bench_pg import bench_store_engines
    from bench_workflow import bench_workflow

    results = bench_engine() + bench_long_history() + [bench_batch()] + bench_cli()
    results += run_optional("report", bench_report) + run_optional("store", bench_store) + run_optional("gui", bench_gui)
    results += run_optional("gui entry", bench_gui_entry)
    results += run_optional("workflow", lambda: bench_workflow(results))   # issue 17: agenda, concordance, impact
    results += run_optional("store engines", bench_store_engines)   # issue 18: SQLite and PostgreSQL side by side
    RESULTS.write_text(json.dumps({"python": sys.version.split()[0], "results": results,
                                   "max_rss_mb_this_process": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024},
                                  indent=2), encoding="utf-8")
    print(f"{'figure':58} {'median':>9} {'min':>9} {'max':>9} {'target':>8}  baseline ratio")
    for r in results:
        if "error" in r:
            print(f"{r['name']:58} {r['error']}")
            continue
        ratio = f"{r['ratio']:.1f}x {r['baseline']}" if r.get("ratio") else ""
        if r.get("ratio_target"):
            ratio += f" (target ≤ {r['ratio_target']:g}x)"
        target = "" if r.get("target") is None else f"{r['target']:g}"
        mark = {True: "ok", False: "MISS", None: ""}[r.get("meets_target")]
        print(f"{r['name'][:58]:58} {r['median']:9.3f} {r['min']:9.3f} {r['max']:9.3f} {target:>8} {r['unit']:3} {mark:4} {ratio}")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as data_dir:
        os.environ.setdefault("ABC_MDT_DATA_DIR", data_dir)
        sys.exit(main())
