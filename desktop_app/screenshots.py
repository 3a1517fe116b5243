"""Screenshots of every wizard step in both languages: `python -m desktop_app.screenshots [OUTDIR]`.

Why a module: `make screenshots` (and a reviewer) can see the whole product offscreen at the
projector's 1280x800 without clicking through it; the same demo case is used every time so the
pictures can be compared between versions. Written to a folder the tests do not commit
(default: build/screenshots).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def take(outdir: Path, size: tuple[int, int] = (1280, 800), zoom: float = 1.0) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("ABC_MDT_DATA_DIR", tempfile.mkdtemp(prefix="abc-mdt-shots-"))
    from desktop_app import appearance, language
    from desktop_app.main import build_window, create_app, open_store
    from desktop_app.qt import QApplication

    app = create_app([])
    store, problem = open_store()
    if store is not None:
        _fill_store(store)
    outdir.mkdir(parents=True, exist_ok=True)
    if zoom in appearance.ZOOM_LEVELS:
        appearance.set_zoom(app, appearance.ZOOM_LEVELS.index(zoom))
    tag = f"{size[0]}x{size[1]}-{round(zoom * 100)}"
    written = []
    for lang in ("en", "zh"):
        language.set_language(lang)
        window = build_window(demo=True, store=store, store_problem=problem)
        window.resize(*size)
        window.show()
        for step in range(len(window.editor.pages)):
            window.editor.go_to(step)
            QApplication.processEvents()
            path = outdir / f"{tag}-{lang}-step{step + 1}-{window.editor.pages[step].KEY}.png"
            window.grab().save(str(path))
            written.append(path)
        window.editor.go_to(6)
        review = window.editor.review
        review.view.verticalScrollBar().setValue(review.view.verticalScrollBar().maximum() // 3)
        option = next((k for k in review.lines if k.startswith("option:")), None)
        if option:
            review.select(option)
        QApplication.processEvents()
        path = outdir / f"{tag}-{lang}-step7-review-options.png"
        window.grab().save(str(path))
        written.append(path)
        window.show_case_list()
        window.editor.go_to(0)
        QApplication.processEvents()
        path = outdir / f"{tag}-{lang}-case-list.png"
        window.grab().save(str(path))
        written.append(path)
        window.editor.dirty = False
        window.close()
    if store is not None:
        store.close()
    app.processEvents()
    return written


def _fill_store(store: object) -> None:
    """A few stored cases so the case list shows what it looks like in use."""
    from desktop_app.main import load_demo_case

    demo = load_demo_case()
    store.save_version(demo, author="screenshots", status="draft")  # type: ignore[attr-defined]
    for number, (name, hospital_id) in enumerate((("王芳", "ZY-20240311"), ("Li Na", "ZY-20240402")), start=2):
        patient = demo.patient.model_copy(update={"name": name, "hospital_id": hospital_id})
        case = demo.model_copy(update={"case_id": f"demo-{number:03d}", "patient": patient})
        store.save_version(case, author="screenshots", status="decided")  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:
    """[OUTDIR] [--size WxH] [--zoom 1.75]"""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m desktop_app.screenshots")
    parser.add_argument("outdir", nargs="?", default=str(Path("build") / "screenshots"))
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--zoom", type=float, default=1.0)
    args = parser.parse_args(argv)
    width, height = (int(n) for n in args.size.lower().split("x"))
    for path in take(Path(args.outdir), (width, height), args.zoom):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
