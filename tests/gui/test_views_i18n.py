"""Every UI string of desktop_app/views/ has its Chinese translation in the .ts (the .qm is compiled from it).

Why a test: the .ts is shared by every change to the GUI; a copy rebuilt elsewhere without these contexts
once dropped them all, and the views fell back to English in a Chinese UI."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VIEWS = ROOT / "desktop_app" / "views"
TS = ROOT / "desktop_app" / "i18n" / "abc_mdt_zh_CN.ts"


def ui_strings() -> set[tuple[str, str]]:
    """(context, source) of every self.tr("…") (context: the class), translate("C", "…") and
    QT_TRANSLATE_NOOP("C", "…") in the views — what pyside6-lupdate extracts."""
    found: set[tuple[str, str]] = set()
    for path in sorted(VIEWS.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)]:
            for call in [n for n in ast.walk(cls) if isinstance(n, ast.Call)]:
                if isinstance(call.func, ast.Attribute) and call.func.attr == "tr" and call.args \
                        and isinstance(call.args[0], ast.Constant):
                    found.add((cls.name, call.args[0].value))
        for call in [n for n in ast.walk(tree) if isinstance(n, ast.Call)]:
            name = getattr(call.func, "id", None)
            if name in ("translate", "QT_TRANSLATE_NOOP") and len(call.args) == 2 \
                    and all(isinstance(a, ast.Constant) for a in call.args):
                found.add((call.args[0].value, call.args[1].value))
    return found


def translations() -> dict[tuple[str, str], str]:
    out = {}
    for context in ET.parse(TS).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            node = message.find("translation")
            if node is None or node.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            forms = [f.text or "" for f in node.iter("numerusform")]
            text = "".join(forms) if forms else node.text or ""
            out[(name, message.findtext("source"))] = text.strip()
    return out


def test_the_scan_finds_the_views_strings() -> None:
    strings = ui_strings()
    assert ("MeetingView", "Meeting agenda") in strings and ("FhirExchange", "Import FHIR bundle") in strings
    assert len(strings) > 150


@pytest.mark.parametrize("context", sorted({c for c, _ in ui_strings()}))
def test_every_string_of_the_views_is_translated(context: str) -> None:
    done = translations()
    missing = sorted(s for c, s in ui_strings() if c == context and not done.get((c, s)))
    assert missing == [], f"{context}: no Chinese in {TS.name} (run lupdate and translate): {missing}"
