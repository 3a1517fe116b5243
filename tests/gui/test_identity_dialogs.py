"""Beside Sign: Create identity… makes a .p12 the Sign dialog then uses, and trusts its certificate;
Trusted certificates… lists, adds and (after asking) removes certificates of the trust store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app.qt import Qt


def test_create_identity_from_the_sign_dialog_then_trust_store(qtbot: Any, app: Any, dialog_log: Any,
                                                                tmp_path: Path) -> None:
    from desktop_app.report_view import SignDialog
    from reports.identity import load_identity
    from reports.trust import TrustStore

    sign = SignDialog(None, "en", lambda *_args: "not signing in this test")
    qtbot.addWidget(sign)
    create = sign.create_identity()
    target = tmp_path / "chair.p12"
    create.path_edit.setText(str(target))
    qtbot.keyClicks(create.name_edit, "Dr Chair")
    qtbot.keyClicks(create.role_edit, "MDT chair")
    qtbot.keyClicks(create.passphrase_edit, "correct horse")
    qtbot.keyClicks(create.again_edit, "correct horse!")
    assert create.create() is False and "differ" in create.error_label.text()
    qtbot.keyClicks(create.again_edit, "correct horse")
    with qtbot.waitSignal(create.accepted, timeout=30000):
        assert create.create()
    assert create.passphrase_edit.text() == "" and create.again_edit.text() == ""   # never kept
    assert sign.identity_edit.text() == str(target)
    assert load_identity(target, b"correct horse").name == "Dr Chair"
    anchors = TrustStore().anchors()
    assert len(anchors) == 1 and "Dr Chair" in anchors[0].subject

    trust = sign.manage_trust()
    assert trust.listing.count() == 1 and "Dr Chair" in trust.listing.item(0).text()
    trust.listing.setCurrentRow(0)
    dialog_log.confirm_answer = False
    qtbot.mouseClick(trust.remove_button, Qt.MouseButton.LeftButton)
    assert len(TrustStore().anchors()) == 1                  # asked first; No keeps it
    dialog_log.confirm_answer = True
    qtbot.mouseClick(trust.remove_button, Qt.MouseButton.LeftButton)
    assert TrustStore().anchors() == []
    assert trust.listing.item(0).text() == "(no trusted certificate yet)"
    pem = tmp_path / "other.pem"
    from reports.identity import certificate_pem, create_identity

    pem.write_bytes(certificate_pem(create_identity("Dr Other", "surgeon", tmp_path / "o.p12", b"another pass",
                                                    key_type="ecdsa-p256")))
    assert trust.add_file(str(pem))
    assert "Dr Other" in trust.listing.item(0).text()
    assert not trust.add_file(str(tmp_path / "o.p12"))      # not a certificate: said at the list, nothing added
    assert trust.error_label.text()
