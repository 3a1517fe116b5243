"""Benchmark parts that need the report, store and GUI packages."""

from __future__ import annotations


def bench_report() -> list[dict]:
    raise NotImplementedError("report benchmark not written yet")


def bench_store() -> list[dict]:
    raise NotImplementedError("store benchmark not written yet")


def bench_gui() -> list[dict]:
    raise NotImplementedError("GUI benchmark not written yet")
