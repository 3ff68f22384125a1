"""How every negotrack command behaves on the command line, beside what it does.

- ``--color auto|always|never`` on the group and on every command (see
  :mod:`negotrack.terminal` for what ``auto`` means, and ``NO_COLOR``);
- an option that takes one value refuses to be given twice (``--issue a
  --issue b`` would otherwise silently mean ``--issue b``);
- help: the command list shows each command's first sentence in full, and
  every command's help ends with an ``Example:`` block (and, where it says
  more than "0 ok, 2 bad input", its exit codes), from the tables below.
  ``tests/cli/test_help.py`` runs every example.
"""

from __future__ import annotations

from typing import Any

import click

from negotrack.terminal import COLOR_CHOICES, color_setting

# The command (as typed after ``negotrack``) -> its examples.  Every example is
# run by the tests against a store holding the seed thread.
EXAMPLES: dict[str, list[str]] = {
    "": [
        "negotrack demo",
        "negotrack ingest seeds/ukraine-peace.yaml",
        "negotrack state ukraine-peace --as-of 2025-11-30",
    ],
    "ingest": [
        "negotrack ingest --check seeds/ukraine-peace.yaml",
        "negotrack ingest seeds/ukraine-peace.yaml",
    ],
    "init": ["negotrack init --db team.db"],
    "verify": ["negotrack verify"],
    "rebuild": ["negotrack rebuild"],
    "export": ["negotrack export ukraine-peace -o ukraine-peace.ndjson --format ndjson"],
    "state": ["negotrack state ukraine-peace --as-of 2025-11-30 --issue nato-membership"],
    "timeline": ["negotrack timeline ukraine-peace --issue territory --to 2025-11-30"],
    "replay": ["negotrack replay ukraine-peace --until 2025-03-31"],
    "diff": ["negotrack diff ukraine-peace 2025-11-30 2025-12-15 --issue nato-membership"],
    "threads": ["negotrack threads"],
    "sources": ["negotrack sources list ukraine-peace"],
    "sources list": ["negotrack sources list ukraine-peace"],
    "sources show": ["negotrack sources show s000"],
    "check": ["negotrack check --sources-root . scenarios/"],
    "demo": ["negotrack demo"],
    "show": ["negotrack show ukraine-peace"],
    "search": ['negotrack search "security guarantees" --thread ukraine-peace'],
}

EXIT_CODES: dict[str, list[tuple[str, str]]] = {
    "": [("0", "done"), ("1", "a check failed, or the store is unusable"), ("2", "bad input or usage; nothing written")],
    "ingest": [("0", "recorded (or nothing new)"), ("1", "the store is unusable"), ("2", "the input was refused; nothing written")],
    "verify": [("0", "the store is sound"), ("1", "a problem was found, or the store is unusable")],
    "check": [
        ("0", "every expectation held"),
        ("1", "an expectation failed"),
        ("2", "a scenario file is invalid, or no scenario file was found"),
    ],
}


def command_key(ctx: click.Context) -> str:
    """The command as typed after ``negotrack`` ("" for ``negotrack`` itself, "sources list", ...)."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def _set_color(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is None and ctx.parent is not None:
        return  # a command's own --color counts only when given; the group's default applies
    ctx.color = color_setting(value or "auto")


class ColorOption(click.Option):
    """``--color``: accepted by every command, listed once, in ``negotrack --help``."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        return super().get_help_record(ctx) if ctx.parent is None else None


def color_option() -> click.Option:
    return ColorOption(
        ["--color"],
        type=click.Choice(COLOR_CHOICES),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_set_color,
        help="Colour the output: auto (a terminal, unless NO_COLOR is set), always or never [default: auto].",
    )


class OnceOption(click.Option):
    """An option that takes one value, given at most once: a second value is refused, not silently kept."""

    def add_to_parser(self, parser: Any, ctx: click.Context) -> None:
        if self.is_flag or self.multiple or self.count:
            super().add_to_parser(parser, ctx)
            return
        # collect every occurrence, so that handle_parse_result can see a repetition
        parser.add_option(obj=self, opts=self.opts, dest=self.name, action="append", nargs=self.nargs)

    def handle_parse_result(self, ctx: click.Context, opts: Any, args: list[str]) -> Any:
        given = opts.get(self.name)
        if isinstance(given, list) and not (self.is_flag or self.multiple or self.count):
            if len(given) > 1 and not ctx.resilient_parsing:
                values = ", ".join(repr(v) for v in given)
                raise click.UsageError(
                    f"{self.opts[-1]} is given {len(given)} times ({values}): it takes one value", ctx
                )
            opts = {**opts, self.name: given[-1]}
        return super().handle_parse_result(ctx, opts, args)


class Conventions:
    """Mixed into negotrack's click command and group classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:  # type: ignore[attr-defined]
            if type(param) is click.Option:
                param.__class__ = OnceOption  # same state, one more rule (see OnceOption)
        self.params.append(color_option())  # type: ignore[attr-defined]

    def get_short_help_str(self, limit: int = 45) -> str:
        """The first paragraph of the help, in full (click would cut it at ``limit`` characters)."""
        text = (getattr(self, "short_help", None) or getattr(self, "help", None) or "").strip()
        return " ".join(text.split("\n\n")[0].split())

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        key = command_key(ctx)
        codes = EXIT_CODES.get(key)
        if codes:
            with formatter.section("Exit codes"):
                formatter.write_dl(codes)
        examples = EXAMPLES.get(key, [])
        if examples:
            formatter.write_paragraph()
            formatter.write_text("Example:" if len(examples) == 1 else "Examples:")
            for line in examples:
                formatter.write(f"{' ' * (formatter.current_indent + 2)}$ {line}\n")
        super().format_epilog(ctx, formatter)  # type: ignore[misc]


class Command(Conventions, click.Command):
    pass


class Group(Conventions, click.Group):
    command_class = Command
    group_class = type  # a sub-group is of the same class as its parent
