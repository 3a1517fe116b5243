"""Where the case store lives, how its folder and file are created, and where it must not live.

Why here and not in the store class: the path rules (env vars, XDG default, POSIX modes, the
network-filesystem refusal) are policy the GUI's settings dialog and the CLI also need, and they are
easier to test as small functions with the mount table injected.
"""

from __future__ import annotations

import os
from pathlib import Path

from guideline_db.store.errors import NetworkFilesystemError, StoreReadOnlyError

DATA_DIR_ENV = "ABC_MDT_DATA_DIR"
STORE_FILENAME = "cases.sqlite"
PROC_MOUNTS = Path("/proc/mounts")

# SQLite relies on POSIX advisory locks and shared memory, which these filesystems do not provide
# reliably across machines: two PCs on one share can both "hold" the write lock and corrupt the file.
NETWORK_FILESYSTEMS = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "smb", "sshfs", "fuse.sshfs", "9p", "afs", "ncpfs", "coda",
    "ceph", "fuse.ceph", "glusterfs", "fuse.glusterfs", "lustre", "gfs2", "ocfs2", "davfs", "fuse.davfs2",
    "fuse.s3fs", "fuse.rclone", "fuse.gcsfuse", "orangefs", "beegfs",
})


def default_data_dir(environ: dict[str, str] | None = None) -> Path:
    """$ABC_MDT_DATA_DIR, else the user's data folder (guideline_db/user_dirs.py, the one resolver the CLI and
    GUI share): %LOCALAPPDATA%\\abc-mdt on Windows (local, not roaming: a SQLite file must not be
    synchronised), $XDG_DATA_HOME/abc-mdt or ~/.local/share/abc-mdt on Linux."""
    from guideline_db.user_dirs import user_dir

    return user_dir("data", environ)


def default_store_path(environ: dict[str, str] | None = None) -> Path:
    return default_data_dir(environ) / STORE_FILENAME


def _unescape_mount_field(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash in paths as octal escapes (\\040 ...)."""
    for escape, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(escape, char)
    return field


def read_mounts(mounts_file: Path | None = PROC_MOUNTS) -> list[tuple[str, str]]:
    """(mount point, filesystem type) pairs; empty when the table is unavailable (non-Linux, no /proc)."""
    if mounts_file is None:
        return []
    try:
        text = Path(mounts_file).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    mounts = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            mounts.append((_unescape_mount_field(parts[1]), parts[2]))
    return mounts


def _existing_ancestor(path: Path) -> Path:
    """The path itself or its nearest existing parent, symlinks resolved (the store may not exist yet)."""
    current = path.absolute()
    while not current.exists() and current != current.parent:
        current = current.parent
    return current.resolve()


def mount_of(path: Path, mounts_file: Path | None = PROC_MOUNTS) -> tuple[str, str] | None:
    """The mount (point, type) that holds `path`: the longest mount point that is a prefix of it.

    Later lines of the mount table win on equal mount points, as the kernel stacks them.
    """
    target = _existing_ancestor(path)
    best: tuple[str, str] | None = None
    for point, fstype in read_mounts(mounts_file):
        mount_path = Path(point)
        if (target == mount_path or mount_path in target.parents) and (
                best is None or len(point) >= len(best[0])):
            best = (point, fstype)
    return best


def is_network_filesystem(fstype: str) -> bool:
    fstype = fstype.lower()
    return fstype in NETWORK_FILESYSTEMS or fstype.startswith(("nfs", "fuse.sshfs", "cifs", "smb"))


# GetDriveTypeW's answer for a network drive (a mapped letter or a UNC root).
DRIVE_REMOTE = 4


def _get_drive_type(root: str) -> int:
    """Windows: GetDriveTypeW for a root such as 'C:\\' (the one call into the OS; tests replace it)."""
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))  # type: ignore[attr-defined]


def _on_windows() -> bool:
    return os.name == "nt"


def windows_network_location(path: str | os.PathLike[str]) -> str | None:
    """Why a Windows path is on the network (a UNC share \\\\server\\share, or a drive letter the OS says is
    remote, e.g. a mapped H:), else None."""
    from pathlib import PureWindowsPath

    text = str(path)
    if text.startswith(("\\\\?\\UNC\\", "//?/UNC/")):
        return "a network share (UNC path)"
    if text.startswith(("\\\\?\\", "//?/")):
        text = text[4:]
    win = PureWindowsPath(text)
    drive = win.drive
    if drive.startswith(("\\\\", "//")):
        return f"a network share ({drive})"
    if len(drive) == 2 and drive[1] == ":":
        try:
            kind = _get_drive_type(drive + "\\")
        except (OSError, AttributeError, ValueError):
            return None
        if kind == DRIVE_REMOTE:
            return f"a network drive ({drive})"
    return None


def refuse_network_filesystem(path: Path, mounts_file: Path | None = PROC_MOUNTS) -> None:
    """Raise NetworkFilesystemError when the store would live on a network filesystem (Linux: the mount
    table; Windows: UNC paths and drives GetDriveTypeW calls remote)."""
    if _on_windows():
        where = windows_network_location(Path(path).absolute())
        if where:
            raise NetworkFilesystemError(
                f"the case store {path} is on {where}; SQLite cannot lock files there safely")
        return
    mount = mount_of(path, mounts_file)
    if mount and is_network_filesystem(mount[1]):
        point, fstype = mount
        raise NetworkFilesystemError(
            f"the case store {path} is on a network filesystem ({fstype} mounted at {point}); "
            "SQLite cannot lock files there safely")


def fsync_path(path: Path, system: str | None = None) -> None:
    """Flush a file, or a folder's entries, to disk (a finished backup survives a power cut).

    POSIX: fsync on the file, or on the folder opened with O_DIRECTORY (that makes a rename durable).
    Windows (`system` "nt"): os.fsync is FlushFileBuffers, which needs the file opened for writing, and a
    folder cannot be opened with os.open at all; NTFS journals folder entries itself, so a folder is skipped.
    """
    system = system or os.name
    if Path(path).is_dir():
        if system == "nt":
            return
        flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    else:
        flags = (os.O_RDWR | getattr(os, "O_BINARY", 0)) if system == "nt" else os.O_RDONLY
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def ensure_private_dir(directory: Path) -> None:
    """Create the data folder (and parents) if missing; a folder we create is 0700 (patient data)."""
    if directory.is_dir():
        return
    directory.mkdir(parents=True, mode=0o700, exist_ok=True)
    os.chmod(directory, 0o700)  # mkdir's mode is filtered by the umask


def create_private_file(path: Path) -> bool:
    """Create an empty file readable by its owner only, before SQLite opens it; False if it existed.

    SQLite gives its -wal and -shm files the mode of the database file, so 0600 here covers all three.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    try:
        if hasattr(os, "fchmod"):  # POSIX; Windows has no file modes to tighten (and no fchmod before 3.13)
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    return True


def refuse_read_only(path: Path) -> None:
    """SQLite needs to write the store and create its -wal/-shm files beside it; say so before it fails
    with a vague "unable to open database file"."""
    for target in (path.parent, path):
        if not os.access(target, os.W_OK):
            raise StoreReadOnlyError(f"{target} is not writable, so the case store cannot be saved to")
