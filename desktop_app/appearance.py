"""Look and scale: the bundled CJK font, the style sheet, and the projector zoom.

Why the bundled font: a hospital PC may have no Chinese font (or a bitmap one that is unreadable on
a projector); Droid Sans Fallback ships in `reports/fonts` with its licence and is registered at
start-up, then used as the fallback family of the application font so Chinese always renders.
Why zoom scales the application font and regenerates the style sheet: every size in the style
sheet is derived from the base point size, so Ctrl+= enlarges the whole UI, headings included.
"""

from __future__ import annotations

from pathlib import Path

from desktop_app.qt import QApplication, QColor, QFont, QFontDatabase, QPalette

CJK_FONT_FILE = "DroidSansFallbackFull.ttf"
LATIN_FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
BASE_POINT_SIZE = 11.5          # 15.3 px at 96 dpi: body text ≥ 15 px, secondary (0.9×) ≥ 13 px
PLACEHOLDER = "#64748b"
FOCUS = "#1d4ed8"               # 6.7:1 on white, distinct from the red of a field with a problem
ZOOM_LEVELS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.4)
DEFAULT_ZOOM_INDEX = ZOOM_LEVELS.index(1.0)

_state: dict[str, object] = {"zoom": DEFAULT_ZOOM_INDEX, "cjk": None, "latin": None}


def font_dir() -> Path:
    """The fonts shipped with the PDF report (reports/fonts), shared by the GUI."""
    import reports

    # __path__, not __file__: an editable install made before reports/__init__.py existed imports it as
    # a namespace package (no __file__).
    return Path(next(iter(reports.__path__))).resolve() / "fonts"


def _register(file_name: str) -> str:
    path = font_dir() / file_name
    font_id = QFontDatabase.addApplicationFont(str(path)) if path.exists() else -1
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else ""


def register_cjk_font() -> str:
    """Register the bundled CJK font; returns its family name ('' if the file is missing)."""
    if _state["cjk"] is None:
        _state["cjk"] = _register(CJK_FONT_FILE)
    return str(_state["cjk"])


def register_latin_font() -> str:
    """Register the bundled Latin face (DejaVu Sans): Droid Sans Fallback has no Latin glyphs, and one
    shipped Latin face makes the projector view the same on every PC."""
    if _state["latin"] is None:
        _state["latin"] = [_register(name) for name in LATIN_FONT_FILES][0]
    return str(_state["latin"])


def zoom_index() -> int:
    return int(_state["zoom"])


def zoom_factor() -> float:
    return ZOOM_LEVELS[int(_state["zoom"])]


def point_size() -> float:
    return BASE_POINT_SIZE * zoom_factor()


def apply(app: QApplication) -> None:
    """Set the application font (with the CJK fallback) and the style sheet for the current zoom."""
    cjk = register_cjk_font()
    font = QFont(app.font())
    base_family = register_latin_font() or QFont().defaultFamily() or font.family()
    families = [base_family] + ([cjk] if cjk else [])
    font.setFamilies(families)
    font.setPointSizeF(point_size())
    if cjk:
        QFont.insertSubstitution(base_family, cjk)
    app.setFont(font)
    palette = app.palette()
    # Qt's default placeholder grey is 3.9:1 on white; this slate is 4.8:1 (WCAG AA for body text)
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(PLACEHOLDER))
    app.setPalette(palette)
    app.setStyleSheet(style_sheet(point_size()))


def set_zoom(app: QApplication, index: int) -> float:
    _state["zoom"] = max(0, min(len(ZOOM_LEVELS) - 1, index))
    apply(app)
    return zoom_factor()


def zoom_in(app: QApplication) -> float:
    return set_zoom(app, int(_state["zoom"]) + 1)


def zoom_out(app: QApplication) -> float:
    return set_zoom(app, int(_state["zoom"]) - 1)


def zoom_reset(app: QApplication) -> float:
    return set_zoom(app, DEFAULT_ZOOM_INDEX)


def style_sheet(pt: float) -> str:
    """The app's style: calm neutrals, one accent, tier colours (green/blue/amber) and red for problems."""
    big, title, small = pt * 1.25, pt * 1.6, pt * 0.9
    return f"""
QMainWindow, QWidget#stepBody {{ background: #ffffff; }}
QLabel[role="title"] {{ font-size: {title:.1f}pt; font-weight: 700; color: #0f172a; }}
QLabel[role="subtitle"] {{ color: #475569; }}
QLabel[role="panelTitle"] {{ font-size: {big:.1f}pt; font-weight: 700; color: #0f172a; margin-top: 6px; }}
QLabel[role="fieldLabel"] {{ font-weight: 600; color: #334155; }}
QLabel[role="fieldError"] {{ color: #b91c1c; font-weight: 600; }}
QLabel[role="fieldInfo"] {{ color: #1d4ed8; font-size: {small:.1f}pt; }}
QLabel[role="banner"] {{ background: #fef2f2; border: 1px solid #fecaca; border-radius: 6px; padding: 8px;
    color: #991b1b; }}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] {{ border: 2px solid #dc2626; border-radius: 3px;
    background: #fff5f5; padding: 2px; }}
QComboBox[invalid="true"] {{ border: 2px solid #dc2626; border-radius: 3px; padding: 2px 18px 2px 4px;
    background: #fff5f5; }}
QLineEdit:focus, QPlainTextEdit:focus, QLineEdit[invalid="true"]:focus, QPlainTextEdit[invalid="true"]:focus {{
    border: 3px solid {FOCUS}; border-radius: 3px; padding: 1px; }}
QComboBox:focus, QComboBox[invalid="true"]:focus {{ border: 3px solid {FOCUS}; border-radius: 3px;
    padding: 1px 18px 1px 3px; }}
QListWidget:focus, QTableView:focus, QTextBrowser:focus {{ border: 3px solid {FOCUS}; }}
QTableView::item:focus {{ border: 2px solid {FOCUS}; }}
QCheckBox:focus {{ background: #dbeafe; border: 2px solid {FOCUS}; border-radius: 3px; }}
QPushButton:focus {{ border: 3px solid {FOCUS}; border-radius: 4px; padding: 3px 10px; }}
QLabel#status_saved {{ background: #dcfce7; color: #14532d; font-weight: 700; padding: 2px 10px;
    border: 1px solid #16a34a; border-radius: 4px; }}
QGroupBox {{ font-weight: 700; color: #0f172a; border: 1px solid #cbd5e1; border-radius: 8px;
    margin-top: {pt * 1.1:.1f}pt; padding: {pt * 1.2:.0f}px 10px 8px 10px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 12px; padding: 0 4px; }}
QGroupBox[role="card"] {{ background: #f8fafc; }}
QListWidget#step_list {{ background: #0f2942; color: #e2e8f0; border: none; padding-top: 8px; outline: 0;
    font-size: {pt * 1.05:.1f}pt; }}
QListWidget#step_list::item {{ padding: 10px 12px; border-left: 4px solid transparent; }}
QListWidget#step_list::item:selected {{ background: #1e4f86; color: #ffffff; border-left: 4px solid #38bdf8; }}
QFrame#live_panel {{ background: #f1f5f9; border-left: 1px solid #cbd5e1; }}
QWidget#live_content {{ background: #f1f5f9; }}
QLabel[role="factName"] {{ color: #475569; }}
QLabel[role="factValue"] {{ color: #0f172a; font-weight: 700; }}
QLabel[role="status"][state="bad"] {{ color: #b91c1c; font-weight: 700; }}
QLabel[role="status"][state="ok"] {{ color: #15803d; font-weight: 700; }}
QLabel[role="option"] {{ padding: 4px 6px; border-radius: 4px; }}
QLabel[role="option"][tier="preferred"] {{ background: #dcfce7; color: #14532d; border-left: 4px solid #16a34a; }}
QLabel[role="option"][tier="recommended"] {{ background: #dbeafe; color: #1e3a8a; border-left: 4px solid #2563eb; }}
QLabel[role="option"][tier="optional"] {{ background: #fef3c7; color: #713f12; border-left: 4px solid #d97706; }}
QFrame[role="infoBox"] {{ background: #eff6ff; border: 1px solid #bfdbfe; border-radius: 6px; }}
QLabel#receptor_discordance[flag="true"] {{ color: #b45309; font-weight: 700; }}
QPushButton[role="primary"] {{ background: #1d4ed8; color: #ffffff; font-weight: 700; padding: 6px 22px;
    border-radius: 5px; border: 1px solid #1e40af; }}
QPushButton[role="primary"]:focus {{ border: 3px solid #0f172a; }}
QPushButton[role="chip"] {{ background: #e0e7ff; color: #1e1b4b; border: 1px solid #a5b4fc; border-radius: 10px;
    padding: 2px 10px; }}
QTreeWidget#review_tree::item {{ padding: 3px 0; }}
QHeaderView::section {{ background: #e2e8f0; color: #0f172a; font-weight: 600; padding: 4px; border: none;
    border-right: 1px solid #cbd5e1; }}
QStatusBar {{ color: #334155; }}
QListWidget#step_list:focus {{ border: none; }}
QFrame#idle_lock_cover {{ background: #0f2942; }}
QFrame#idle_lock_cover QLabel {{ color: #e2e8f0; }}
QLabel#idle_lock_heading {{ font-size: {title:.1f}pt; font-weight: 700; color: #ffffff; }}
QPushButton#idle_unlock_button {{ background: #1d4ed8; color: #ffffff; font-weight: 700; padding: 8px 28px;
    border-radius: 5px; border: 1px solid #93c5fd; }}
QPushButton#idle_unlock_button:focus {{ border: 2px solid #f59e0b; }}
"""
