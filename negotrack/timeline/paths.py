"""Which files a timeline may make negotrack read: the one rule for a source's `path` and a scenario's `include`.

A timeline file is untrusted input (a colleague's, a download).  The files it
names are read, archived in the store and shown to everyone who reads the
store, and a quote is checked against them, so the check must not become an
oracle for files the user never meant to share.  The rule:

- the path is taken relative to the folder of the file that names it, and
  resolved, *after every symlink*, to the file it really is;
- that file must lie inside the folder of the file that names it, or inside
  a root the user named: ``--sources-root DIR`` (repeatable) or the
  environment variable ``NEGOTRACK_SOURCES_ROOT`` (folders separated by
  ``os.pathsep``); under pytest, the project's rootdir;
- it must be a regular file (not a device, a pipe, a directory, nor a file
  whose size changes as it is read, as in ``/proc``) of UTF-8 text without NUL
  bytes.

A path outside is refused *before anything is looked up there*: the message
names the path as written and the rule, and is the same whether or not a
file exists there, so it reveals nothing of the file's existence or content.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from negotrack.domain import limits
from negotrack.errors import UsageError

if TYPE_CHECKING:
    from negotrack.timeline.schema import TimelineInput

ENV_VAR = "NEGOTRACK_SOURCES_ROOT"
RULE = (
    "it must lie, after symlinks, inside the folder of the file that names it"
    f" or under a folder given with --sources-root or {ENV_VAR}"
)


class Budget:
    """What the source files of one command may archive in all (:data:`limits.MAX_ARCHIVED_BYTES`)."""

    def __init__(self, total: int = limits.MAX_ARCHIVED_BYTES):
        self.total = total
        self.left = total
        self.texts: dict[tuple[int, int, int, int], str] = {}

    def spend(self, size: int, shown: str) -> None:
        if size > self.left:
            raise PathRefused(
                f"{shown}: the source texts of this input are over the limit of {self.total:,} bytes in all"
            )
        self.left -= size


class PathRefused(Exception):
    """A path a timeline names that may not be read; the message names the path and the rule."""


@dataclass(frozen=True)
class Allowed:
    """The folders a timeline may name files in, beside the folder of the file itself."""

    roots: tuple[Path, ...] = ()

    @classmethod
    def named(cls, roots: Iterable[str | os.PathLike[str]] = (), *, environ: bool = True) -> Allowed:
        """The roots the user named (``--sources-root``), and those of ``NEGOTRACK_SOURCES_ROOT``."""
        given = [str(r) for r in roots]
        if environ:
            given += [r for r in os.environ.get(ENV_VAR, "").split(os.pathsep) if r.strip()]
        resolved: list[Path] = []
        for root in given:
            path = Path(os.path.realpath(Path(root).expanduser()))
            if not path.is_dir():
                raise UsageError(f"--sources-root: {root!r} is not a folder")
            resolved.append(path)
        return cls(tuple(dict.fromkeys(resolved)))

    def resolve(self, declared: str, named_in: Path, what: str) -> Path:
        """The real path of ``declared`` (named in the file ``named_in``), if the rule allows it."""
        folder = Path(os.path.realpath(Path(named_in).absolute().parent))
        real = Path(os.path.realpath(folder / declared))
        if not any(real.is_relative_to(root) for root in (folder, *self.roots)):
            raise PathRefused(f"{what} {declared!r} is outside the allowed folder: {RULE}")
        return real

    def read_text(
        self,
        declared: str,
        named_in: Path,
        what: str,
        max_bytes: int = limits.MAX_SOURCE_BYTES,
        budget: Budget | None = None,
    ) -> str:
        """The UTF-8 text of an allowed regular file of at most ``max_bytes``; :class:`PathRefused` otherwise.

        ``budget``: the bytes all the files of one command may still archive
        (checked from the file's size, before it is read); it also keeps one
        copy of a file named many times.
        """
        real = self.resolve(declared, named_in, what)
        shown = f"{what} {declared!r}"
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(real, flags)
        except FileNotFoundError:
            raise PathRefused(f"{shown} is not a readable file") from None
        except OSError as e:
            raise PathRefused(f"{shown} cannot be read: {e.strerror}") from None
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise PathRefused(f"{shown} is a directory, not a text file")
            if not stat.S_ISREG(st.st_mode):
                raise PathRefused(f"{shown} is not a regular file (a device, pipe or socket)")
            self._still_inside(fd, declared, named_in, what)
            if st.st_size > max_bytes:
                raise PathRefused(f"{shown} is over the source size limit of {max_bytes:,} bytes")
            if budget is not None:
                budget.spend(st.st_size, shown)
                seen = budget.texts.get((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
                if seen is not None:
                    return seen
            with os.fdopen(os.dup(fd), "rb") as f:
                data = f.read(max_bytes + 1)
        except OSError as e:
            raise PathRefused(f"{shown} cannot be read: {e.strerror}") from None
        finally:
            os.close(fd)
        if len(data) > max_bytes:
            raise PathRefused(f"{shown} is over the source size limit of {max_bytes:,} bytes")
        if len(data) != st.st_size:  # /proc and the like: a size of 0 and content made as it is read
            raise PathRefused(f"{shown} is not a regular file (its size changes as it is read)")
        if b"\x00" in data:
            raise PathRefused(f"{shown} is not a text file (a NUL byte)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise PathRefused(f"{shown} is not UTF-8 text") from None
        if budget is not None:
            budget.texts[(st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)] = text
        return text

    def _still_inside(self, fd: int, declared: str, named_in: Path, what: str) -> None:
        """The file opened is the one checked (a symlink swapped in meanwhile is caught), where /proc says."""
        link = f"/proc/self/fd/{fd}"
        if not os.path.exists(link):  # pragma: no cover - not Linux
            return
        opened = Path(os.readlink(link))
        folder = Path(os.path.realpath(Path(named_in).absolute().parent))
        if not any(opened.is_relative_to(root) for root in (folder, *self.roots)):
            raise PathRefused(f"{what} {declared!r} is outside the allowed folder: {RULE}")


def read_sources(parsed: TimelineInput, allowed: Allowed, budget: Budget) -> None:
    """Read the file of every source ``parsed`` declares with a ``path``, by the rule, into ``parsed.source_texts``.

    Every source is read, cited or not (a later file may cite it): none escapes
    the rule.  A refused one goes to ``parsed.source_errors`` instead, which the
    checker reports as a problem of the file (so nothing is written).
    """
    for key, source in parsed.sources.items():
        if not source.path:
            continue
        try:
            parsed.source_texts[key] = allowed.read_text(source.path, parsed.path, "source file", budget=budget)
        except PathRefused as e:  # reported by the checker, in the order of the declarations
            parsed.source_errors[key] = str(e)


def given_twice(paths: Iterable[Path]) -> dict[int, Path]:
    """The paths (by their place in ``paths``) that name a file an earlier one names too, with that earlier path.

    The same file is the same device and inode, after symlinks: ``a.yaml``,
    ``./a.yaml``, its absolute path and a link to it are one file.  A path that
    names no regular file is left to the reader to refuse.
    """
    seen: dict[tuple[int, int], Path] = {}
    twice: dict[int, Path] = {}
    for index, path in enumerate(paths):
        try:
            st = os.stat(path)
        except OSError:
            continue
        if not stat.S_ISREG(st.st_mode):
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            twice[index] = seen[key]
        else:
            seen[key] = path
    return twice


def given_twice_message(name: str, first: str) -> str:
    also = f" (also as {first})" if first != name else ""
    return f"given twice{also}: each file is read once; give it once"
