"""Logging to a rotating file in the user's log folder, and exception hooks that write to it.

    setup_logging("cli")            # once, at start-up (guideline_db/cli.py does it for every command)
    install_excepthook(show=None)   # the GUI passes show=<function that opens an error dialog with the text>

Why a file: the windowed Windows build has no console, so a warning printed to stderr is lost; a support
call needs "what happened at 14:32". The file is ``abc-mdt.log`` in guideline_db.user_dirs.log_dir(),
1 MB, five old files kept (``abc-mdt.log.1`` ...), created 0600 (it says which commands ran).

Never in the log: patient names and other identifiers, passphrases. The code does not log them; as a second
line of defence every record passes ``RedactingFilter``, which blanks the values of identifying JSON/keyword
fields (``"name": "…"``, ``passphrase=…``) and any value registered with ``register_secret`` (the CLI
registers the patient names of the cases it reads). tests/test_logging_privacy.py runs the commands with the
log at DEBUG and searches the file.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from guideline_db import __version__

LOG_FILE = "abc-mdt.log"
LEVEL_ENV = "ABC_MDT_LOG_LEVEL"      # DEBUG | INFO (default) | WARNING ...
MAX_BYTES, BACKUPS = 1_000_000, 5
FORMAT = "%(asctime)s %(levelname)-7s [%(process)d %(threadName)s] %(name)s: %(message)s"
REDACTED = "[redacted]"
_SENSITIVE_KEYS = r"name|patient_name|patient|hospital_id|mrn|id_number|phone|address|passphrase|password|secret"
_KEY_VALUE = re.compile(
    rf"""(?P<key>["']?(?:{_SENSITIVE_KEYS})["']?\s*[:=]\s*)(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;)}}\]]+)""",
    re.IGNORECASE)

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_handler: logging.Handler | None = None


def register_secret(value: str | bytes | None) -> None:
    """Never write `value` (a patient's name, a passphrase) to the log, wherever it appears."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if value and len(value.strip()) >= 2:
        with _secrets_lock:
            _secrets.add(value.strip())


def redact(text: str) -> str:
    text = _KEY_VALUE.sub(lambda m: m["key"] + REDACTED, text)
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    def _open(self):  # noqa: ANN202 - the file is created 0600 (it names the commands that ran)
        old = os.umask(0o077)
        try:
            return super()._open()
        finally:
            os.umask(old)


def log_path() -> Path:
    from guideline_db.user_dirs import log_dir

    return log_dir() / LOG_FILE


def setup_logging(kind: str = "cli", level: str | None = None) -> Path | None:
    """Attach the rotating file handler to the root logger (once per process); its path, or None when the log
    folder cannot be written (then nothing is logged to a file, and the app still runs)."""
    global _handler
    if _handler is not None:
        return Path(_handler.baseFilename)
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = _PrivateRotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8",
                                              delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    name = (level or os.environ.get(LEVEL_ENV) or "INFO").upper()
    handler.setLevel(getattr(logging, name, logging.INFO))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.WARNING, handler.level))
    _handler = handler
    logging.getLogger("abc_mdt").info("abc-mdt %s (%s) started, pid %d", __version__, kind, os.getpid())
    return path


def install_excepthook(show: Callable[[str], None] | None = None) -> None:
    """Uncaught exceptions (main thread and others) are logged with their traceback; `show(text)` is then
    called with a short message naming the log file (the GUI opens a dialog with it)."""
    previous = sys.excepthook

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous(exc_type, exc, tb)
            return
        logging.getLogger("abc_mdt").critical("uncaught exception", exc_info=(exc_type, exc, tb))
        if show is not None:
            try:
                show(internal_error_text(exc))
            except Exception:  # noqa: BLE001 - the dialog itself failing must not hide the first error
                logging.getLogger("abc_mdt").exception("the error dialog failed")
        else:
            previous(exc_type, exc, tb)

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        logging.getLogger("abc_mdt").critical("uncaught exception in thread %s",
                                              getattr(args.thread, "name", "?"),
                                              exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook


def internal_error_text(exc: BaseException) -> str:
    where = Path(_handler.baseFilename) if _handler is not None else None
    detail = f"; the details are in {where}" if where else ""
    return f"internal error ({type(exc).__name__}){detail}. Please report it with that file."
