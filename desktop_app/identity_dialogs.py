"""Beside Sign: "Create identity…" (a key and certificate in a .p12 file) and "Trusted certificates…".

Why here: the Sign dialog needed an existing .p12 and offered no way to make one, so a new chair
could not sign at the meeting. Both dialogs only collect input and call the core: the identity is
made by `reports.identity.create_identity` (off the UI thread: an RSA key takes a second), the trust
store is `reports.trust.TrustStore` (the same folder `abc-mdt verify` reads). Passphrases are never
stored or logged; the fields are cleared as soon as they are read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop_app import dialogs
from desktop_app.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)

TEXT = {
    "create_title": ("创建签名身份", "Create a signing identity"),
    "create": ("创建身份…", "Create identity…"), "trust": ("受信任的证书…", "Trusted certificates…"),
    "name": ("姓名（打印在签名上）", "Name (printed with the signature)"), "role": ("职务", "Role"),
    "role_hint": ("如：MDT主席、肿瘤内科医师", "e.g. MDT chair, medical oncologist"),
    "passphrase": ("口令", "Passphrase"), "again": ("再次输入口令", "Passphrase again"),
    "file": ("保存为（.p12）", "Save as (.p12)"), "browse": ("浏览…", "Browse…"),
    "key": ("密钥类型", "Key type"), "trust_it": ("在本机信任此证书（用于验证）", "Trust this certificate on this computer (for verifying)"),
    "mismatch": ("两次输入的口令不一致", "The two passphrases differ"),
    "need_all": ("请填写姓名、职务、口令和文件", "Enter the name, role, passphrase and file"),
    "creating": ("正在创建身份…", "Creating the identity…"),
    "created": ("已创建 {path}", "Created {path}"),
    "trust_title": ("受信任的证书", "Trusted certificates"),
    "trust_help": ("验证签名时信任这些证书（abc-mdt verify 使用同一文件夹：{folder}）。",
                   "Signatures by these certificates are trusted when verifying (abc-mdt verify reads the same "
                   "folder: {folder})."),
    "add": ("添加证书…", "Add certificate…"), "remove": ("移除所选", "Remove selected"),
    "remove_confirm": ("不再信任 {subject}？", "Stop trusting {subject}?"),
    "none": ("（尚无受信任的证书）", "(no trusted certificate yet)"),
}
CERT_FILTER = "Certificates (*.pem *.crt *.cer *.der);;All files (*)"
P12_FILTER = "PKCS#12 (*.p12);;All files (*)"


def t(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


class CreateIdentityDialog(QDialog):
    """Name, role, passphrase twice, file, key type; `created` holds the .p12 path once made."""

    def __init__(self, parent: QWidget | None, lang: str, suggested: Path | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.created: Path | None = None
        self.operation: Any = None
        self.setObjectName("create_identity_dialog")
        self.setWindowTitle(t("create_title", lang))
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("identity_name")
        self.role_edit = QLineEdit(self)
        self.role_edit.setObjectName("identity_role")
        self.role_edit.setPlaceholderText(t("role_hint", lang))
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setObjectName("identity_passphrase")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.again_edit = QLineEdit(self)
        self.again_edit.setObjectName("identity_passphrase_again")
        self.again_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.path_edit = QLineEdit(str(suggested or Path.home() / "abc-mdt-identity.p12"), self)
        self.path_edit.setObjectName("identity_file")
        browse = QPushButton(t("browse", lang), self)
        browse.clicked.connect(self._browse)
        self.key_combo = QComboBox(self)
        self.key_combo.setObjectName("identity_key_type")
        self.key_combo.addItem("ECDSA P-256", "ecdsa-p256")
        self.key_combo.addItem("RSA 3072", "rsa3072")
        self.trust_box = QCheckBox(t("trust_it", lang), self)
        self.trust_box.setChecked(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("identity_error")
        self.error_label.setWordWrap(True)
        self.error_label.setProperty("role", "fieldError")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(t("name", lang), self.name_edit)
        form.addRow(t("role", lang), self.role_edit)
        form.addRow(t("passphrase", lang), self.passphrase_edit)
        form.addRow(t("again", lang), self.again_edit)
        form.addRow(t("file", lang), path_row)
        form.addRow(t("key", lang), self.key_combo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.trust_box)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _browse(self) -> None:
        path = dialogs.save_file(self, t("file", self.lang), self.path_edit.text(), P12_FILTER)
        if path:
            self.path_edit.setText(path)

    def create(self) -> bool:
        """Check the fields, clear the passphrases and create the identity in the background."""
        from desktop_app.operations import run_in_background

        name, role = self.name_edit.text().strip(), self.role_edit.text().strip()
        path_text = self.path_edit.text().strip()
        first, second = self.passphrase_edit.text(), self.again_edit.text()
        if not (name and role and first and path_text):
            self.error_label.setText(t("need_all", self.lang))
            return False
        if first != second:
            self.again_edit.clear()
            self.again_edit.setFocus()
            self.error_label.setText(t("mismatch", self.lang))
            return False
        self.passphrase_edit.clear()
        self.again_edit.clear()
        passphrase = first.encode("utf-8")
        path, key_type, trust = Path(path_text).expanduser(), self.key_combo.currentData(), self.trust_box.isChecked()

        def work() -> Path:
            from reports.identity import certificate_pem, create_identity
            from reports.trust import TrustStore

            certificate = create_identity(name, role, path, passphrase, key_type=key_type)
            if trust:
                TrustStore().add(certificate_pem(certificate))
            return path

        def done(created: Path) -> None:
            self.created = created
            self.accept()

        def failed(exc: Exception) -> None:
            self.error_label.setText(str(exc))
            self.passphrase_edit.setFocus()

        self.error_label.setText(t("creating", self.lang))
        self.operation = run_in_background(self, work, done, failed, t("creating", self.lang), (self.buttons,))
        return True


class TrustStoreDialog(QDialog):
    """The trusted certificates: list, Add… (PEM/DER file), Remove selected (asks first)."""

    def __init__(self, parent: QWidget | None, lang: str, store: Any = None) -> None:
        from reports.trust import TrustStore

        super().__init__(parent)
        self.lang = lang
        self.store = store or TrustStore()
        self.setObjectName("trust_store_dialog")
        self.setWindowTitle(t("trust_title", lang))
        help_label = QLabel(t("trust_help", lang).replace("{folder}", str(self.store.folder)), self)
        help_label.setWordWrap(True)
        self.listing = QListWidget(self)
        self.listing.setObjectName("trust_list")
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setProperty("role", "fieldError")
        add = QPushButton(t("add", lang), self)
        add.setObjectName("trust_add")
        add.clicked.connect(self.add_file)
        self.remove_button = QPushButton(t("remove", lang), self)
        self.remove_button.setObjectName("trust_remove")
        self.remove_button.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)          # destructive: apart from Add, and it asks first
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(help_label)
        layout.addWidget(self.listing, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.error_label)
        layout.addWidget(close)
        self.resize(720, 420)
        self.refresh()

    def refresh(self) -> None:
        from reports.trust import TrustStoreError

        self.listing.clear()
        try:
            anchors = self.store.anchors()
        except TrustStoreError as exc:
            self.error_label.setText(str(exc))
            anchors = []
        for anchor in anchors:
            item = QListWidgetItem(anchor.line(), self.listing)
            item.setData(Qt.ItemDataRole.UserRole, anchor.fingerprint)
            item.setToolTip(f"{anchor.subject}\n{anchor.issuer}\nSHA-256 {anchor.fingerprint}")
        if not anchors:
            QListWidgetItem(t("none", self.lang), self.listing).setFlags(Qt.ItemFlag.NoItemFlags)
        self.remove_button.setEnabled(bool(anchors))

    def add_file(self, path: str | None = None) -> bool:
        from reports.trust import TrustStoreError

        path = path or dialogs.open_file(self, t("add", self.lang), CERT_FILTER)
        if not path:
            return False
        try:
            self.store.add(Path(path).read_bytes())
        except (OSError, TrustStoreError) as exc:
            self.error_label.setText(str(exc))
            return False
        self.error_label.clear()
        self.refresh()
        return True

    def remove_selected(self) -> bool:
        from reports.trust import TrustStoreError

        item = self.listing.currentItem()
        fingerprint = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not fingerprint:
            return False
        if not dialogs.confirm(self, t("trust_title", self.lang),
                               t("remove_confirm", self.lang).replace("{subject}", item.text())):
            return False
        try:
            self.store.remove(fingerprint)
        except TrustStoreError as exc:
            self.error_label.setText(str(exc))
            return False
        self.refresh()
        return True
