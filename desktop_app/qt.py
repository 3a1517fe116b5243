"""The one module that imports PySide6; every other desktop_app module takes its Qt names from here.

Why (Anki's `aqt.qt`, Dangerzone's `gui/`): one place to pin the binding, to see which Qt classes
the app depends on, and to let a test assert that `guideline_db` and `reports` never import Qt.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QLibraryInfo,
    QLocale,
    QLockFile,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRunnable,
    QSettings,
    QSize,
    QStandardPaths,
    QStringListModel,
    Qt,
    QThreadPool,
    QTimer,
    QTranslator,
    QUrl,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QKeySequence,
    QPalette,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStatusBar,
    QStyledItemDelegate,
    QTableView,
    QTextBrowser,
    QToolButton,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid as is_alive  # False once Qt has deleted the C++ object behind a wrapper

__all__ = [
    "QT_TRANSLATE_NOOP", "QAbstractTableModel", "QCoreApplication", "QEvent", "QItemSelectionModel",
    "QLibraryInfo", "QLocale", "QLockFile", "QMimeData", "QModelIndex", "QObject", "QPersistentModelIndex", "QPoint", "QRect",
    "QRunnable", "QSettings", "QSize", "QStandardPaths", "QStringListModel",
    "Qt", "QThreadPool", "QTimer", "QTranslator", "QUrl", "Signal", "Slot",
    "QAction", "QBrush", "QColor", "QFont", "QFontDatabase", "QGuiApplication", "QIcon", "QKeySequence", "QPalette",
    "QShortcut", "QStandardItem", "QStandardItemModel",
    "QAbstractButton", "QAbstractItemView", "QApplication", "QCheckBox", "QComboBox", "QCompleter", "QDialog",
    "QDialogButtonBox",
    "QDockWidget", "QFileDialog", "QFormLayout", "QFrame", "QGridLayout", "QGroupBox", "QHBoxLayout",
    "QHeaderView", "QInputDialog", "QLabel", "QLayout", "QLineEdit", "QListWidget", "QListWidgetItem", "QMainWindow",
    "QMenu", "QMessageBox", "QPlainTextEdit", "QProgressDialog", "QPushButton", "QScrollArea", "QSizePolicy",
    "QSplitter",
    "QStackedWidget", "QStatusBar", "QStyledItemDelegate", "QTableView", "QTextBrowser", "QToolButton",
    "QToolTip", "QTreeWidget", "QTreeWidgetItem", "QVBoxLayout", "QWidget", "is_alive",
]


# Modules only the report window needs (PDF preview and printing): imported on first use, so that
# starting the wizard does not load QtPdf and QtPrintSupport.
_LAZY = {
    "QBuffer": "PySide6.QtCore", "QByteArray": "PySide6.QtCore", "QIODevice": "PySide6.QtCore",
    "QImage": "PySide6.QtGui", "QPainter": "PySide6.QtGui", "QPdfDocument": "PySide6.QtPdf",
    "QPdfView": "PySide6.QtPdfWidgets", "QPrintDialog": "PySide6.QtPrintSupport", "QPrinter": "PySide6.QtPrintSupport",
}


def __getattr__(name: str) -> object:
    """`from desktop_app.qt import QPdfView` works, importing the Qt module on first use (PEP 562)."""
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def translate(context: str, text: str) -> str:
    """Shorthand for QCoreApplication.translate, for module-level code with no QObject at hand."""
    return QCoreApplication.translate(context, text)
