"""What the main window does with the case store: save, autosave, open, import, export, recover, report.

Why a separate mixin: every one of these can fail (disk full, read-only folder, another window
saving, a file that is not a case), and each failure must end in a dialog with a way out — never a
traceback, never lost typing. Keeping them together makes that rule easy to check; MainWindow
only builds the window. Expects `self.store`, `self.editor`, `self.case_list`, `self.dock`.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from desktop_app import dialogs, language

JSON_FILTER = "Case JSON (*.json);;All files (*)"


def _clock() -> str:
    from datetime import datetime

    return datetime.now().strftime("%H:%M")


def case_differences(theirs: Any, mine: Any) -> list[str]:
    """'path: stored → yours' for every leaf that differs (what Compare shows)."""
    def flat(value: Any, prefix: str = "") -> dict[str, Any]:
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for key, item in value.items():
                out.update(flat(item, f"{prefix}.{key}" if prefix else key))
            return out
        if isinstance(value, list):
            out = {}
            for n, item in enumerate(value):
                out.update(flat(item, f"{prefix}[{n}]"))
            return out if value else {prefix: []}
        return {prefix: value}

    a = flat(theirs.model_dump(mode="json", exclude_none=True))
    b = flat(mine.model_dump(mode="json", exclude_none=True))
    return [f"{path}: {a.get(path, '—')} → {b.get(path, '—')}" for path in sorted(set(a) | set(b))
            if a.get(path) != b.get(path)]


def _is_unreachable(exc: Exception) -> bool:
    from guideline_db.store.postgres.store import ServerUnreachableError

    return isinstance(exc, ServerUnreachableError)


class StoreActions:
    store: Any
    server_link: Any
    editor: Any
    case_list: Any
    dock: Any
    status_saved: Any
    status_case: Any
    instance_holder: str
    _typed_since_autosave: bool
    _autosave_warned: bool

    # -- store operations ---------------------------------------------------------------------------
    def _store_failed(self, error: Any, doing: str, choices: tuple[str, ...] = ("close",)) -> str:
        return dialogs.store_error(self, error, doing, choices)

    def _edited(self) -> None:
        self._typed_since_autosave = True
        self.setWindowModified(True)
        self.status_saved.setVisible(False)

    def autosave(self) -> bool:
        """Write the raw form state as the session's draft (even when invalid); True when written."""
        from guideline_db.store import StoreError

        if self.store is None or not self._typed_since_autosave or self.editor.read_only:
            return False
        try:
            self.store.autosave_draft(self.editor.session_key, json.dumps(self.editor.state(), ensure_ascii=False))
        except StoreError as exc:
            self.statusBar().showMessage(self.tr("Autosave failed: %1").replace("%1", str(exc)), 10000)
            if not self._autosave_warned:
                self._autosave_warned = True
                self._store_failed(exc, self.tr("autosave the form"))
            return False
        self._typed_since_autosave = False
        return True

    def _confirm_replace(self) -> bool:
        """Before the form is replaced: save, discard (and drop the draft) or cancel."""
        if not self.editor.dirty:
            return True
        choice = dialogs.unsaved_changes(self)
        if choice == "save":
            return self.save() is not None
        if choice == "discard":
            self._discard_draft(self.editor.session_key)
            return True
        return False

    def _discard_draft(self, key: str) -> None:
        from guideline_db.store import StoreError

        if self.store is None:
            return
        try:
            self.store.discard_draft(key)
        except StoreError as exc:
            self.statusBar().showMessage(str(exc), 10000)

    def _clear_case_views(self) -> None:
        """Before another case is drawn: nothing of the previous patient stays in the status bar."""
        self.statusBar().clearMessage()
        self.status_saved.setVisible(False)
        self.status_case.setText("")

    def new_case(self) -> None:
        if self._confirm_replace():
            self._clear_case_views()
            self.editor.new_case()
            self._typed_since_autosave = False
            self.dock.setVisible(False)
            self._update_status()
            self.editor.focus_step(first_problem=False)

    def open_case(self, case_id: str) -> bool:
        from guideline_db.store import StoreError

        if self.store is None or not self._confirm_replace():
            return False
        try:
            case, info = self.store.load(case_id)
        except StoreError as exc:
            self._store_failed(exc, self.tr("open case %1").replace("%1", case_id))
            return False
        self._clear_case_views()
        self.editor.load_case(case)
        self.editor.stored_version = info.version
        self._typed_since_autosave = False
        self.dock.setVisible(False)          # the wizard needs the width; Ctrl+F brings the list back
        self._update_status()
        self.editor.focus_step(first_problem=False)
        self.statusBar().showMessage(self.tr("Opened %1").replace("%1", case_id), 5000)
        return True

    def save(self) -> Any:
        """Save the form as a new version; returns the VersionInfo, or None when not saved."""
        from guideline_db.store import StoreError, VersionConflictError

        if self.editor.read_only:
            dialogs.message(self, self.tr("Not saved"), self.tr(
                "This window is read-only: another abc-mdt window has the case store open (%1). "
                "Close that window and open the case again to change it.").replace("%1", self.instance_holder or "?"),
                warning=True)
            return None
        pending = self.editor.commit_pending()
        if pending:
            step, picker, text = pending[0]
            self.editor.go_to(step)
            picker.line.setFocus()
            dialogs.message(self, self.tr("Not saved"), text, warning=True)
            return None
        case = self.editor.case_for_save()
        if case is None:
            step = self.editor.first_step_with_problems()
            if step is not None:
                self.editor.go_to(step)
            dialogs.message(self, self.tr("Not saved"), self.tr(
                "The case has %1 problem(s); they are marked at their fields. Fix them and save again. "
                "Your typing is kept (and autosaved as a draft).").replace("%1", str(len(self.editor.problems))),
                "\n".join(f"{p.path}: {p.text()}" for p in self.editor.problems), warning=True)
            return None
        if self.store is None:
            return self._export_editor_case() and None
        if not self._may_save_over(case):
            return None
        status = "decided" if self.editor.has_decision() else "draft"
        conflicts = 0
        while True:
            try:
                info = self.store.save_version(case, author=self.store.user, status=status, **self._known_subtype(case),
                                               **self._expected_version(case))
                break
            except VersionConflictError as exc:
                # saved elsewhere between the check and the write: the store refused it inside its transaction
                conflicts += 1
                if conflicts > 2:
                    self._store_failed(exc, self.tr("save the case"))
                    return None
                if not self._may_save_over(case):
                    return None
            except StoreError as exc:
                server_gone = getattr(self.store, "url", None) is not None and _is_unreachable(exc)
                choices = ("offline", "retry", "export", "close") if server_gone else ("retry", "export", "close")
                choice = self._store_failed(exc, self.tr("save the case"), choices)
                if choice == "export":
                    self._export_editor_case()
                if choice == "offline" and self.server_link.switch_to_offline():
                    continue                      # the same save, kept on this PC until the server is back
                if choice != "retry":
                    return None
        old_key = self.editor.session_key
        self.editor.session_key = f"case:{case.case_id}"
        self.editor.stored_case_id = case.case_id
        self.editor.stored_version = info.version
        self._discard_draft(old_key)
        if old_key != self.editor.session_key:
            self._discard_draft(self.editor.session_key)
        notes = case.mdt.decision.notes if case.mdt and case.mdt.decision else None
        if notes:
            self.editor.decision.group.rows["mdt.decision.notes"].set_value(notes)
        self.editor.dirty = False
        self._typed_since_autosave = False
        self.case_list.refresh(select=case.case_id)
        self._update_status()
        if getattr(self.store, "offline", False):
            self.status_saved.setText("✓ " + self.tr("Kept on this PC %1 · sent when the case server is back · %2")
                                      .replace("%1", case.case_id).replace("%2", _clock()))
            self.server_link.update_badge()
        else:
            self.status_saved.setText("✓ " + self.tr("Saved %1 · version %2 · %3").replace("%1", case.case_id)
                                      .replace("%2", str(info.version)).replace("%3", _clock()))
        self.status_saved.setVisible(True)     # stays until the next edit: the board sees it was saved
        return info

    def _may_save_over(self, case: Any) -> bool:
        """Refuse to save over a version this window has not seen (another window, the CLI, an import):
        the store's version number is the check. Offers to compare and to reload."""
        from guideline_db.store import CaseNotFoundError, StoreError

        try:
            latest = self.store.versions(case.case_id)[-1]
        except CaseNotFoundError:
            return True                       # a new case ID: nothing to overwrite
        except StoreError:
            return True                       # the save itself reports the store's problem
        if self.editor.stored_case_id == case.case_id and self.editor.stored_version == latest.version:
            return True
        try:
            theirs, _info = self.store.load(case.case_id)
        except StoreError as exc:
            self._store_failed(exc, self.tr("compare with the stored case"))
            return False
        differences = case_differences(theirs, case)
        if not differences:
            self.editor.stored_case_id, self.editor.stored_version = case.case_id, latest.version
            return True
        mine = self.editor.stored_version if self.editor.stored_case_id == case.case_id else None
        choice = dialogs.version_conflict(self, case.case_id, mine, latest.version, latest.author,
                                          "\n".join(differences))
        if choice == "reload":
            self._keep_typing_as_draft(case.case_id)
            self.editor.dirty = False
            self.open_case(case.case_id)
        return False

    def _keep_typing_as_draft(self, case_id: str) -> None:
        """Before a reload replaces the form, keep what was typed as a recoverable draft."""
        from datetime import datetime

        from guideline_db.store import StoreError

        key = f"conflict:{case_id}:{datetime.now().strftime('%Y%m%d-%H%M%S')}"
        try:
            self.store.autosave_draft(key, json.dumps(self.editor.state(), ensure_ascii=False))
        except StoreError as exc:
            self.statusBar().showMessage(str(exc), 10000)

    def import_case(self) -> None:
        path = dialogs.open_file(self, self.tr("Import case JSON"), JSON_FILTER)
        if path:
            self.open_path(path)

    def open_path(self, path: str) -> bool:
        """A case file from Import, the command line, a drop or the recent files: into the store (a new
        version, a no-op when unchanged) and shown; without a store, shown for editing."""
        from guideline_db.case_io import CaseFileError, load_case
        from guideline_db.store import StoreError

        if not self._confirm_replace():
            return False
        if self.store is None or self.editor.read_only:
            try:
                case = load_case(Path(path))
            except CaseFileError as exc:
                dialogs.message(self, self.tr("Not imported"), exc.problems[0], "\n".join(exc.problems), warning=True)
                return False
            self._clear_case_views()
            self.editor.load_case(case, stored=False)
            self._remember(path)
            self._update_status()
            self.editor.focus_step(first_problem=False)
            return True
        try:
            info = self.store.import_case_file(path, author=self.store.user)
        except StoreError as exc:
            self._store_failed(exc, self.tr("import %1").replace("%1", Path(path).name))
            return False
        self.case_list.refresh(select=info.case_id)
        self.editor.dirty = False
        self._remember(path)
        return self.open_case(info.case_id)

    def _remember(self, path: str) -> None:
        from desktop_app import window_settings

        with contextlib.suppress(OSError):
            window_settings.add_recent(str(Path(path).resolve()))

    def export_case(self, case_id: str | None, pseudonymise: bool) -> bool:
        from guideline_db.store import StoreError

        case_id = case_id or self.editor.stored_case_id
        if self.store is None or case_id is None:
            return self._export_editor_case()
        suffix = "-pseudonymised" if pseudonymise else ""
        path = dialogs.save_file(self, self.tr("Export case JSON"), f"{case_id}{suffix}.json", JSON_FILTER)
        if not path:
            return False
        try:   # the store writes the file (0600) and its manifest, and records 'exported' only once written
            self.store.export_case_to(case_id, path, pseudonymise=pseudonymise)
        except StoreError as exc:
            self._store_failed(exc, self.tr("export %1").replace("%1", case_id))
            return False
        self._remember(path)
        return True

    def _export_editor_case(self) -> bool:
        from guideline_db.case_io import case_to_json

        case = self.editor.case_for_save()
        if case is None:
            return False
        path = dialogs.save_file(self, self.tr("Save case as JSON"), f"{case.case_id}.json", JSON_FILTER)
        return bool(path) and self._write(path, case_to_json(case) + "\n")

    def _write(self, path: str, text: str) -> bool:
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            dialogs.message(self, self.tr("Not written"), f"{path}: {exc.strerror}", warning=True)
            return False
        self.statusBar().showMessage(self.tr("Written %1").replace("%1", path), 8000)
        return True

    def _expected_version(self, case: Any) -> dict[str, int]:
        """`expected_version=` for the store: the version this window last saw of this case (0 for a case ID
        it has not saved), so a save over a newer version is refused inside the store's write transaction."""
        import inspect

        if "expected_version" not in inspect.signature(self.store.save_version).parameters:
            return {}
        if self.editor.stored_case_id == case.case_id and self.editor.stored_version is not None:
            return {"expected_version": int(self.editor.stored_version)}
        try:
            self.store.versions(case.case_id)
        except Exception:  # noqa: BLE001 - CaseNotFoundError: a new case; other errors: the save reports them
            return {"expected_version": 0}
        return {}

    def _known_subtype(self, case: Any) -> dict[str, str]:
        """`subtype=` for the store, from the editor's evaluation of exactly this case (the store then runs no
        engine for its list column); empty for a store without the argument or another evaluation."""
        import inspect

        evaluation = self.editor.evaluation
        if evaluation is None or "subtype" not in inspect.signature(self.store.save_version).parameters:
            return {}
        from guideline_db.case_io import case_version_hash

        if evaluation.case_sha256 != case_version_hash(case):
            return {}
        return {"subtype": str(evaluation.value("subtype"))}

    def open_report(self) -> Any:
        try:
            from desktop_app import report_view
        except ModuleNotFoundError as exc:
            if exc.name != "desktop_app.report_view":
                raise
            dialogs.message(self, self.tr("Report"), self.tr("The report module is not installed in this build."))
            return None
        case = self.editor.settled_case()
        if case is None:
            dialogs.message(self, self.tr("Report"), self.tr("Complete the case first: the report needs a valid case."),
                            warning=True)
            return None
        # the window reuses the editor's evaluation of this case and asks for the case without re-evaluating it
        return report_view.open_report_dialog(self, case, self.editor.evaluation, store=self.store,
                                              lang=language.current_language(),
                                              current_case=self.editor.settled_case,
                                              current_evaluation=lambda: self.editor.evaluation)

    def offer_recovery(self) -> bool:
        """After a crash: offer the autosaved drafts; True when one was loaded into the form."""
        from guideline_db.store import StoreError

        if self.store is None:
            return False
        try:
            drafts = self.store.list_drafts()
        except StoreError as exc:
            self._store_failed(exc, self.tr("read the autosaved drafts"))
            return False
        if not drafts:
            return False
        action, key = dialogs.recover_drafts(self, drafts)
        try:
            if action == "discard":
                for draft in drafts:
                    self.store.discard_draft(draft.key)
                return False
            if action != "recover" or key is None:
                return False
            text = self.store.load_draft(key)
        except StoreError as exc:
            self._store_failed(exc, self.tr("recover the draft"))
            return False
        try:
            state = json.loads(text or "{}")
        except json.JSONDecodeError:
            dialogs.message(self, self.tr("Draft not readable"), self.tr("The draft could not be read."), text or "",
                            warning=True)
            return False
        stored = key.split(":", 1)[1] if key.startswith("case:") else None
        self._clear_case_views()
        self.editor.load_state(state, session_key=key, stored_case_id=stored)
        if stored is not None:          # the draft was typed over the latest version (or nothing newer exists)
            try:
                self.editor.stored_version = self.store.versions(stored)[-1].version
            except StoreError:
                self.editor.stored_version = None
        self.editor.dirty = True
        self._update_status()
        return True

