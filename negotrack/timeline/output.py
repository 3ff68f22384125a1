"""Writing an output file safely: all of it or nothing, never through a link, never over a file by surprise.

:func:`write_atomically` is how every command that writes a file the user
names (``export -o``, and the report and draft commands) writes it:

- the target is refused, before anything is written, if it is a symbolic
  link, a directory, a device or anything but a regular file, or if it exists
  and ``force`` is not given;
- the content goes to a temporary file created exclusively (``O_CREAT |
  O_EXCL | O_NOFOLLOW``) under a fresh random name in the target's folder, so
  a planted file or link is never written through; it is flushed to disk and
  then renamed over the target, which is replaced whole or not at all;
- companion files (an export's archived source texts) are written only inside
  one folder ``<stem>.sources/`` beside the target, each under a plain name,
  the same way; a link planted there, or a name that would resolve outside it,
  is refused; one already there with the very same bytes (an export of the
  same thread in another format) is left as it is;
- when anything fails (a full disk, an interrupted write), every file and the
  companion folder this call created are removed: nothing is left behind.
  (With ``force``, a companion file that was replaced before the failure stays
  replaced: there is no older copy to restore.)
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from negotrack.errors import NegotrackError, UsageError

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_MODE = 0o666  # less the umask, as any file a command creates


class OutputRefused(UsageError):
    """The target (or a companion file) is not somewhere negotrack will write."""


class OutputFailed(NegotrackError):
    """Writing failed part way (a full disk, say); everything written was removed."""

    exit_code = 1


@dataclass(frozen=True)
class Companion:
    """A file written beside the target, inside ``<stem>.sources/``: its plain name and its bytes."""

    name: str
    data: bytes


def companion_folder(target: Path) -> Path:
    return target.parent / f"{target.stem}.sources"


def _describe(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check_target(path: Path, shown: str, force: bool) -> bool:
    """Refuse a target that is not a regular file, or that exists without ``force``; True if it exists."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(st.st_mode):
        raise OutputRefused(f"{shown} is {_describe(st.st_mode)}: negotrack writes only regular files")
    if not force:
        raise OutputRefused(f"{shown} already exists: give --force to replace it")
    return True


def _same_file(path: Path, data: bytes) -> bool:
    """Is ``path`` a regular file (not a link) holding exactly ``data``?"""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size != len(data):
            return False
        with open(fd, "rb", closefd=False) as f:
            return f.read(len(data) + 1) == data
    finally:
        os.close(fd)


def _plain_name(name: str) -> bool:
    return bool(name) and name not in (".", "..") and "/" not in name and "\\" not in name and "\0" not in name


def _temp_name(final: str) -> str:
    return f".{final}.{secrets.token_hex(6)}.tmp"


def _create_exclusive(folder_fd: int, final: str) -> tuple[int, str]:
    """A new file in the folder under a fresh name: never an existing file, never through a link."""
    for _ in range(16):
        name = _temp_name(final)
        try:
            return os.open(name, _FLAGS, _MODE, dir_fd=folder_fd), name
        except FileExistsError:
            continue
    raise OutputRefused(f"cannot create a temporary file for {final}")  # pragma: no cover - 16 collisions of 48 bits


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def write_atomically(
    target: Path,
    write: Callable[[IO[str]], object],
    *,
    force: bool = False,
    companions: Iterable[Companion] = (),
    siblings: Iterable[Companion] = (),
    shown: str | None = None,
    newline: str = "\n",
) -> None:
    """Write ``target`` by calling ``write(stream)`` with a text stream (UTF-8), then the other files.

    ``companions`` go inside ``<stem>.sources/`` beside the target, ``siblings``
    (e.g. a CSV's thread declarations) beside it, under plain names.  See the
    module's docstring for what is refused and what is guaranteed.  ``shown``
    is how messages name the target (default: the path as given); ``newline``
    is passed to the text stream (``""`` for CSV, which writes its own line ends).
    """
    shown = shown or str(target)
    companions, siblings = list(companions), list(siblings)
    folder = target.parent
    prefix = shown[: shown.rfind("/") + 1]  # how messages name the target's folder
    if not folder.is_dir():
        raise UsageError(f"-o: {prefix.rstrip('/') or folder} is not a folder")
    _check_target(target, shown, force)
    existed: set[tuple[str, str]] = set()  # (".", name) or ("side", name): files a forced write replaces
    for c in siblings:
        if not _plain_name(c.name):
            raise OutputRefused(f"{c.name!r} is not a plain file name")
        if _check_target(folder / c.name, prefix + c.name, force):
            existed.add((".", c.name))
    side = companion_folder(target)
    side_shown = prefix + side.name
    side_exists = False
    same: set[str] = set()
    if companions:
        try:
            st = os.lstat(side)
            if not stat.S_ISDIR(st.st_mode):
                raise OutputRefused(f"{side_shown} is {_describe(st.st_mode)}, not a folder: negotrack will not write there")
            side_exists = True
        except FileNotFoundError:
            pass
        for c in companions:
            if not _plain_name(c.name):
                raise OutputRefused(f"{c.name!r} is not a plain file name: it would be written outside {side_shown}/")
            if side_exists and _same_file(side / c.name, c.data):
                same.add(c.name)  # already there, byte for byte (e.g. exported before in another format)
            elif side_exists and _check_target(side / c.name, f"{side_shown}/{c.name}", force):
                existed.add(("side", c.name))
        companions = [c for c in companions if c.name not in same]

    folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    temps: list[tuple[int, str]] = []  # (folder fd, name) of every temporary file not yet renamed
    renamed: list[tuple[int, str]] = []  # files this call put in place, to remove if a later step fails
    made_side = False
    side_fd: int | None = None

    def stage(dir_fd: int, c: Companion, where: str) -> tuple[int, str, str, bool]:
        fd, temp = _create_exclusive(dir_fd, c.name)
        temps.append((dir_fd, temp))
        try:
            _write_all(fd, c.data)
            os.fsync(fd)
        finally:
            os.close(fd)
        return dir_fd, temp, c.name, (where, c.name) in existed

    try:
        fd, temp = _create_exclusive(folder_fd, target.name)
        temps.append((folder_fd, temp))
        with open(fd, "w", encoding="utf-8", newline=newline) as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        staged = [stage(folder_fd, c, ".") for c in siblings]
        if companions:
            if not side_exists:
                os.mkdir(side.name, dir_fd=folder_fd)  # fails if anything appeared there meanwhile
                made_side = True
            side_fd = os.open(side.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=folder_fd)
            staged += [stage(side_fd, c, "side") for c in companions]
        for dir_fd, ctemp, name, replaces in staged:
            os.replace(ctemp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            temps.remove((dir_fd, ctemp))
            if not replaces:
                renamed.append((dir_fd, name))
        os.replace(temp, target.name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
        temps.remove((folder_fd, temp))
    except BaseException as e:
        for dir_fd, name in temps + renamed:
            try:
                os.unlink(name, dir_fd=dir_fd)
            except OSError:
                pass
        if made_side:
            try:
                os.rmdir(side.name, dir_fd=folder_fd)
            except OSError:
                pass
        if isinstance(e, OSError):
            raise OutputFailed(f"cannot write {shown}: {e.strerror or e}; nothing was written") from None
        raise
    finally:
        if side_fd is not None:
            os.close(side_fd)
        os.close(folder_fd)
