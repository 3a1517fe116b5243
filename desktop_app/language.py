"""The UI language: Qt translators for our strings and Qt's own, switchable while the app runs.

Why Qt's system (Vorta's habit): `.ts` sources are reviewable by a translator in Qt Linguist, the
compiled `.qm` ships as package data, and installing a translator makes Qt send LanguageChange to
every widget, which re-labels itself (`retranslate()`), so nothing typed is lost on a switch.
Clinical content (option labels, explanations) is not translated here: the engine gives it in both
languages and widgets pick by `current_language()`.
"""

from __future__ import annotations

import os
from pathlib import Path

from desktop_app.qt import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

LANGUAGES = ("zh", "en")
I18N_DIR = Path(__file__).resolve().parent / "i18n"
QM_NAMES = {"zh": "abc_mdt_zh_CN.qm"}
QT_LOCALES = {"zh": "zh_CN", "en": "en_US"}
LANGUAGE_ENV = "ABC_MDT_LANG"

_state: dict[str, object] = {"lang": "en", "translators": []}


def system_language() -> str:
    """ABC_MDT_LANG if set (zh/en), else Chinese when the system locale is Chinese, else English."""
    override = os.environ.get(LANGUAGE_ENV, "").strip().lower()
    if override[:2] in LANGUAGES:
        return override[:2]
    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def current_language() -> str:
    return str(_state["lang"])


def set_language(lang: str) -> bool:
    """Install the translators of `lang`; returns False when its .qm file is missing (English shown)."""
    lang = lang if lang in LANGUAGES else "en"
    app = QCoreApplication.instance()
    translators: list[QTranslator] = _state["translators"]  # type: ignore[assignment]
    if app is not None:
        for translator in translators:
            app.removeTranslator(translator)
    translators.clear()
    ok = True
    _state["lang"] = lang
    QLocale.setDefault(QLocale(QT_LOCALES[lang]))
    if lang != "en" and app is not None:
        ours = QTranslator(app)
        ok = ours.load(str(I18N_DIR / QM_NAMES[lang]))
        qt_base = QTranslator(app)
        if qt_base.load(f"qt_{QT_LOCALES[lang]}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt_base)
            translators.append(qt_base)
        if ok:
            app.installTranslator(ours)
            translators.append(ours)
    if app is not None and not translators:
        # Removing translators may not announce anything when none were installed; widgets must still
        # re-read current_language() for the engine's bilingual texts.
        QCoreApplication.sendEvent(app, QEvent(QEvent.Type.LanguageChange))
    return ok
