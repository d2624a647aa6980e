"""Output files, written whole or not at all.

Each file is written to a temporary name in its destination folder, flushed to
disk, then renamed over the destination, so a reader sees the old file or the
new one and never a part of either. Any failure removes the temporary file and
raises WriteError with a message for the user.

A process killed while writing cannot remove its temporary file (`.NAME.xxxxxxxx.tmp`).
The next write of NAME removes such leftovers once they are STALE_AFTER seconds old
and no process holds them: a writer keeps its temporary file locked (`flock`) from
creation to rename, and a lock dies with its process, so a concurrent build writing
the same folder never loses the file it is writing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: leftovers are judged by their age alone
    fcntl = None  # type: ignore[assignment]

STALE_AFTER = 60  # seconds since a temporary file was last written

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


PREVIOUS_LIMIT = 64 * 1024 * 1024  # bytes: a year of daily sessions makes a calendar of under half a megabyte


class PreviousUnread(Exception):
    """The file an output will replace is there but was not read; the message says why."""


_NOT_THERE = {errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.EISDIR}


def read_previous(path: Path, limit: int | None = None) -> bytes | None:
    """The file an output will replace, or None when there is none or it is not a regular file.

    Raises PreviousUnread when it is larger than `limit` bytes (PREVIOUS_LIMIT), or cannot be read
    (permission denied, an I/O error): the build goes on without it. A FIFO or a
    device in its place is never opened for reading, so it cannot block the build."""
    limit = PREVIOUS_LIMIT if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        if exc.errno in _NOT_THERE:
            return None
        raise PreviousUnread(f"cannot read {path}, the file it replaces: {_describe(exc)}") from exc
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return None
        chunks, wanted = [], limit + 1
        while wanted > 0 and (chunk := os.read(handle, min(wanted, 1 << 20))):
            chunks.append(chunk)
            wanted -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        raise PreviousUnread(f"cannot read {path}, the file it replaces: {_describe(exc)}") from exc
    finally:
        os.close(handle)
    if len(data) > limit:
        raise PreviousUnread(
            f"{path}, the file it replaces, is larger than {limit // (1024 * 1024)} MB and was not read"
        )
    return data


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


def _locked_elsewhere(handle: int) -> bool:
    """Whether another process holds the lock on this open file."""
    if fcntl is None:
        return False
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    return False


def remove_leftovers(path: Path, stale_after: float = STALE_AFTER) -> None:
    """Remove the temporary files that killed writes of `path` left behind (see above)."""
    leftover = re.compile(re.escape(f".{path.name}.") + r"[a-z0-9_]{8}\.tmp")
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if not leftover.fullmatch(entry.name):
            continue
        try:
            if (
                not entry.is_file(follow_symlinks=False)
                or now - entry.stat(follow_symlinks=False).st_mtime < stale_after
            ):
                continue
            handle = os.open(entry.path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            if not _locked_elsewhere(handle):
                os.unlink(entry.path)
        except OSError:
            pass
        finally:
            os.close(handle)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one step; raises WriteError and leaves no trace on failure."""
    remove_leftovers(path)
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)  # held until the file is renamed, or this process dies
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
