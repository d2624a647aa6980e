"""Output files, written whole or not at all.

Each file is written to a temporary name in its destination folder, flushed to
disk, then renamed over the destination, so a reader sees the old file or the
new one and never a part of either. Any failure removes the temporary file and
raises WriteError with a message for the user.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EISDIR: "a folder of that name is in the way",
    errno.EEXIST: "a file of that name is in the way",
}


class WriteError(Exception):
    """An output could not be written; nothing was left behind."""


def _describe(exc: OSError) -> str:
    fallback = exc.strerror or str(exc)
    if exc.errno is None:
        return fallback
    return _REASONS.get(exc.errno, fallback)


def prepare_folder(folder: Path) -> None:
    """Create the output folder (and its parents) when it does not exist yet."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot create the output folder {folder}: {_describe(exc)}") from exc
    if not folder.is_dir():
        raise WriteError(f"cannot write into {folder}: it is a file, not a folder")


def read_previous(path: Path) -> bytes | None:
    """The file an output will replace, or None when there is none (or it cannot be read)."""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def _file_mode(path: Path) -> int:
    """The replaced file's permissions, else what a new file gets under the current umask.

    A symbolic link is replaced by a file of its own: its target's mode (a folder's
    executable bits, say) is not the new file's business."""
    try:
        status = os.lstat(path)
        if stat.S_ISREG(status.st_mode):
            return status.st_mode & 0o7777
    except OSError:
        pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; raises WriteError and leaves no trace on failure."""
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
        temporary = None
    except OSError as exc:
        raise WriteError(f"cannot write {path}: {_describe(exc)}") from exc
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable where the platform allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
