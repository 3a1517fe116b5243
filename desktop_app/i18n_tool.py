"""Refresh the translation sources and compile them: `python -m desktop_app.i18n_tool`.

Why a module and not a make target only: the Qt tools live beside the venv's Python
(pyside6-lupdate, pyside6-lrelease), and the file list must be exactly the package's sources so that
strings of removed code drop out (-no-obsolete) while existing translations are kept.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
TS_FILES = sorted((PACKAGE / "i18n").glob("*.ts"))


def tool(name: str) -> str:
    candidate = Path(sys.executable).with_name(name)
    return str(candidate) if candidate.exists() else name


def main() -> int:
    sources = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if "i18n" not in p.parts)
    for ts in TS_FILES:
        subprocess.run([tool("pyside6-lupdate"), *sources, "-ts", str(ts.relative_to(PACKAGE)), "-no-obsolete",
                        "-locations", "none"], cwd=PACKAGE, check=True)
        subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
