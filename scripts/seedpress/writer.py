"""The one way the toolkit writes a file: whole, or not at all.

Every file seedpress writes (a fixed post, a reviewed date, a new post, the
gallery manifest and journal, media, PNG covers, the build tree) goes
through :func:`write_atomic`, :func:`copy_atomic` or (for a file a tool
such as ffmpeg writes itself) :func:`write_by`:

- the bytes go to a temporary file in the target's own folder, are flushed
  and fsynced, optionally verified, then renamed over the target, so a crash
  or Ctrl-C leaves the old file or the new one, never half of either;
- the target keeps its permission bits (a new file gets 0644);
- a target whose permission bits allow no write is refused, even for root:
  a read-only file is the owner saying "do not change this";
- on any failure the temporary file is removed and the error is a
  :class:`WriteError` that names the path and says why in plain words.

Commands that write several files call :func:`ensure_writable` on every
target first, so a batch either starts with every target writable or
writes nothing.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .diagnostics import display_path
from .errors import WriteError


def _why(err: OSError) -> str:
    if err.errno == errno.ENAMETOOLONG:
        return "the name is too long for this filesystem"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if err.errno == errno.EROFS:
        return "the filesystem is read-only"
    if err.errno == errno.ENOSPC:
        return "the disk is full"
    return err.strerror or str(err)


def ensure_writable(path: Path) -> None:
    """Raise :class:`WriteError` unless ``path`` may be (re)written atomically."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise WriteError(f"{display_path(path)}: {_why(err)}") from None
    if info is not None:
        if not stat.S_ISREG(info.st_mode):
            raise WriteError(f"{display_path(path)}: not a regular file")
        if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            raise WriteError(f"{display_path(path)}: the file is read-only; make it writable "
                             "(chmod u+w) if it should change")
    folder = path.parent
    if folder.exists() and not os.access(folder, os.W_OK | os.X_OK):
        raise WriteError(f"{display_path(folder)}: permission denied (cannot write in this folder)")
    try:
        limit = os.pathconf(folder if folder.exists() else ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    # the temporary name is longer than the target's: "." + name + "." + 8 + ".tmp"
    if len(os.fsencode(path.name)) + 14 > limit:
        raise WriteError(f"{display_path(path)}: the name is too long for this filesystem "
                         f"({len(os.fsencode(path.name))} bytes; at most {limit - 14} here)")


def ensure_all_writable(paths: Iterable[Path]) -> None:
    for path in paths:
        ensure_writable(path)


def write_atomic(path: Path, data: bytes | str, *,
                 verify: Callable[[Path], None] | None = None) -> None:
    """Write ``data`` to ``path`` whole or not at all; ``verify(tmp)`` may raise to refuse."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    ensure_writable(path)

    def fill(handle, _tmp: Path) -> None:
        handle.write(data)

    _replace(path, fill, verify, expected=data)


def copy_atomic(src: Path, path: Path) -> None:
    """Copy the file ``src`` to ``path`` whole or not at all."""
    path = Path(path)
    ensure_writable(path)

    def fill(handle, _tmp: Path) -> None:
        with open(src, "rb") as source:
            shutil.copyfileobj(source, handle, 1 << 20)

    _replace(path, fill, None, expected=None)


def write_by(path: Path, make: Callable[[Path], None], *,
             verify: Callable[[Path], None] | None = None) -> None:
    """Let ``make(tmp)`` write the new file at a temporary path beside ``path`` (a
    tool that writes files itself, such as ffmpeg), then verify and rename it."""
    path = Path(path)
    ensure_writable(path)

    def fill(handle, tmp: Path) -> None:
        handle.close()
        make(tmp)

    _replace(path, fill, verify, expected=None)


def _replace(path: Path, fill, verify, expected: bytes | None) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise WriteError(f"{display_path(path)}: {_why(err)}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            fill(handle, tmp)
        with open(tmp, "rb+") as handle:  # what was written is on disk before the rename
            os.fsync(handle.fileno())
        if expected is not None and tmp.read_bytes() != expected:
            raise WriteError(f"{display_path(path)}: the written file did not read back as written")
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp, mode)
        if verify is not None:
            verify(tmp)
        os.replace(tmp, path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise WriteError(f"{display_path(path)}: {_why(err)}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
