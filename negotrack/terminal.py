"""Terminal conventions: when to colour, how wide to write, and wrapping to that width.

Colour (https://no-color.org): ``--color always`` colours, ``--color never``
does not; ``--color auto`` (the default) colours only a terminal, and never
when the environment variable ``NO_COLOR`` is set to a non-empty value.

Width: text output is wrapped to ``COLUMNS`` when that variable is set, else
to the terminal's width when standard output is a terminal; output to a pipe
or a file is not wrapped (one record per line, for grep and friends).  JSON is
never wrapped.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import textwrap

import click

COLOR_CHOICES = ("auto", "always", "never")
MIN_WIDTH = 40  # narrower than this, wrapping helps nobody: lines are left as they are

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def color_setting(choice: str) -> bool | None:
    """What click's ``Context.color`` should be for ``--color CHOICE`` (None: colour a terminal only)."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    return False if os.environ.get("NO_COLOR") else None


def width() -> int | None:
    """The width to wrap text output to, or None (do not wrap)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if columns.isdigit() and int(columns) > 0:
        return max(int(columns), MIN_WIDTH)
    try:
        if not sys.stdout.isatty():
            return None
    except (AttributeError, ValueError):  # a closed or odd stream
        return None
    return max(shutil.get_terminal_size().columns, MIN_WIDTH)


def visible_len(text: str) -> int:
    """The length of text as shown: colour codes take no room."""
    return len(_ANSI.sub("", text))


def fit(text: str, columns: int | None = None) -> str:
    """Wrap every line of ``text`` that is wider than the output, keeping its indentation.

    A wrapped line continues under its own indentation plus two spaces (four
    for a line that is not indented), so what belongs together stays visibly
    together.  Words are never broken, nor split at hyphens (a quote stays
    searchable); colour codes take no room.
    """
    columns = width() if columns is None else columns
    if columns is None:
        return text
    return "\n".join(_fit_line(line, columns) for line in text.split("\n"))


def _fit_line(line: str, columns: int) -> str:
    if visible_len(line) <= columns:
        return line
    body = line.lstrip(" ")
    indent = line[: len(line) - len(body)]
    follow = indent + ("  " if indent else "    ")
    out: list[str] = []
    current, used, has_word, gap = indent, len(indent), False, ""
    for token in re.findall(r"\S+|\s+", body):  # words and the gaps between them
        if token.isspace():
            gap = token
            continue
        n = visible_len(token)
        if has_word and used + len(gap) + n > columns:
            out.append(current)
            current, used = follow + token, len(follow) + n
        else:
            current += gap + token
            used += len(gap) + n
        has_word, gap = True, ""
    out.append(current)
    return "\n".join(out)


def wrap_cell(text: str, columns: int) -> list[str]:
    """A table cell's text as lines of at most ``columns`` characters (words kept whole)."""
    return textwrap.wrap(text, columns, break_long_words=False, break_on_hyphens=False) or [""]


def echo(text: str, *, err: bool = False) -> None:
    click.echo(text, err=err, color=None)


def table(
    headers: list[str], rows: list[list[str]], columns: int | None = None, *, whole: tuple[int, ...] = ()
) -> str:
    """A plain table; when it is wider than the output, its widest columns wrap inside their cells.

    The columns listed in ``whole`` (by index) are never wrapped.
    """
    columns = width() if columns is None else columns
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    if columns is not None:
        widths = _shrink(headers, rows, widths, columns, whole)
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    for row in rows:
        cells = [wrap_cell(cell, w) if len(cell) > w else [cell] for cell, w in zip(row, widths, strict=True)]
        for i in range(max(len(c) for c in cells)):
            parts = [(c[i] if i < len(c) else "").ljust(w) for c, w in zip(cells, widths, strict=True)]
            out.append("  ".join(parts).rstrip())
    return "\n".join(out)


def _shrink(
    headers: list[str], rows: list[list[str]], widths: list[int], columns: int, whole: tuple[int, ...]
) -> list[int]:
    """Narrow the widest columns, one character at a time, until the table fits (or no column can give more)."""
    floor = [len(h) for h in headers]  # a column is never narrower than its header, nor than its longest word
    for row in rows:
        floor = [max(f, max((len(w) for w in cell.split()), default=0)) for f, cell in zip(floor, row, strict=True)]
    floor = [w if i in whole else f for i, (f, w) in enumerate(zip(floor, widths, strict=True))]
    widths = list(widths)
    while sum(widths) + 2 * (len(widths) - 1) > columns:
        candidates = [i for i, w in enumerate(widths) if w > floor[i]]
        if not candidates:
            break
        widest = max(candidates, key=lambda i: (widths[i], i))
        widths[widest] -= 1
    return widths
