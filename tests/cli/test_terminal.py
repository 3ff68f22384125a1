"""Terminal conventions: NO_COLOR and --color, wrapping to the terminal's width, options given twice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from freezegun import freeze_time

from negotrack.cli import cli
from support.terminal import in_a_terminal

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ingested(project):
    with freeze_time("2024-06-01T12:00:00Z"):
        assert project.run("ingest", "harbour.yaml").exit_code == 0
    return project


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the seed thread ingested into ./negotrack.db (and the scenarios beside it)."""
    root = tmp_path_factory.mktemp("seeds")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    result = CliRunner().invoke(cli, ["ingest", "seeds/ukraine-peace.yaml", "--db", str(root / "negotrack.db")])
    assert result.exit_code == 0, result.output
    return root


def run(root: Path, *args: str, color: bool = False, **env: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), color=color, env={"NEGOTRACK_DB": str(root / "negotrack.db"), **env})
    return result.exit_code, result.output


# -- colour ---------------------------------------------------------------------


def test_a_terminal_gets_colour_unless_no_color_is_set(ingested):
    db = {"NEGOTRACK_DB": ingested.db}
    args = ["state", "harbour", "--as-of", "2024-01-25"]
    on_a_terminal = CliRunner().invoke(cli, args, color=True, env=db)  # color=True: as a terminal would
    assert "\x1b[1m" in on_a_terminal.output
    no_color = CliRunner().invoke(cli, args, color=True, env={**db, "NO_COLOR": "1"})
    assert no_color.exit_code == 0
    assert "\x1b" not in no_color.output
    assert no_color.output == CliRunner().invoke(cli, args, env=db).output
    empty = CliRunner().invoke(cli, args, color=True, env={**db, "NO_COLOR": ""})  # no-color.org: empty is unset
    assert "\x1b[1m" in empty.output


def test_color_always_and_never_override_the_terminal_and_no_color(ingested):
    db = {"NEGOTRACK_DB": ingested.db}
    piped = CliRunner().invoke(cli, ["state", "harbour", "--color", "always"], env=db)
    assert piped.exit_code == 0 and "\x1b[1mharbour: as of" in piped.output
    before = CliRunner().invoke(cli, ["--color", "always", "state", "harbour"], env={**db, "NO_COLOR": "1"})
    assert "\x1b[1mharbour: as of" in before.output  # the command line overrides the environment
    never = CliRunner().invoke(cli, ["--color", "never", "state", "harbour"], color=True, env=db)
    assert never.exit_code == 0 and "\x1b" not in never.output
    bad = CliRunner().invoke(cli, ["state", "harbour", "--color", "sometimes"], env=db)
    assert bad.exit_code == 2
    assert "Invalid value for '--color': 'sometimes' is not one of 'auto', 'always', 'never'." in bad.output


def test_in_a_real_terminal_no_color_means_no_colour_and_lines_fit_its_width(seeds):
    env = {"NEGOTRACK_DB": str(seeds / "negotrack.db")}
    args = ["timeline", "ukraine-peace", "--issue", "territory", "--to", "2025-11-30"]
    coloured = in_a_terminal(args, seeds, env)
    assert "\x1b[" in coloured
    plain = in_a_terminal(args, seeds, {**env, "NO_COLOR": "1"})
    assert "\x1b" not in plain
    lines = plain.rstrip("\n").split("\n")
    assert max(len(line) for line in lines) <= 80
    assert len(lines) > 10


# -- width ----------------------------------------------------------------------


def test_threads_fits_an_80_column_terminal(seeds):
    code, out = run(seeds, "threads", COLUMNS="80")
    assert code == 0
    assert out == (
        "thread         events  dates                     parties    issues\n"
        "-------------  ------  ------------------------  ---------  --------------------\n"
        "ukraine-peace  47      2008-04-03 .. 2025-12-15  RU, UA,    nato-membership,\n"
        "                                                 US, NATO,  neutrality,\n"
        "                                                 UK, FR,    security-guarantees,\n"
        "                                                 DE, AU,    territory,\n"
        "                                                 COW        ceasefire,\n"
        "                                                            foreign-troops,\n"
        "                                                            peace-plan\n"
    )
    _, piped = run(seeds, "threads")  # a pipe: one row per line
    assert piped.split("\n")[2].startswith("ukraine-peace  47      2008-04-03 .. 2025-12-15  RU, UA, US, NATO, UK, FR")


def test_timeline_lines_wrap_under_their_own_indentation(seeds):
    code, out = run(seeds, "timeline", "ukraine-peace", "--issue", "territory", "--to", "2025-11-27", COLUMNS="80")
    assert code == 0
    assert out == (
        "2025-11-27  putin-withdrawal-demand  DemandIssued  RU (putin)  [territory]\n"
        "    Putin makes the end of hostilities depend on Ukraine withdrawing from key\n"
        "      areas\n"
        '    "He reiterated that the cessation of hostilities depends on the withdrawal\n'
        "      of Ukrainian troops from key areas.\" [s000 Russia says Ukraine's NATO\n"
        "      membership is unacceptable; Putin calls the US plan a basis, C]\n"
        "2025-11-27  putin-force-threat  ThreatIssued  RU (putin)  [territory]\n"
        "    Putin threatens to take the areas by force if Ukraine does not withdraw\n"
        '    "If they do not [withdraw], Russian forces will achieve their objectives by\n'
        "      force\" [s000 Russia says Ukraine's NATO membership is unacceptable; Putin\n"
        "      calls the US plan a basis, C]\n"
    )
    _, whole = run(seeds, "timeline", "ukraine-peace", "--json")
    _, narrow = run(seeds, "timeline", "ukraine-peace", "--json", COLUMNS="40")
    assert narrow == whole  # JSON is never wrapped


def test_every_text_line_of_the_seed_thread_fits_80_columns(seeds):
    for args in (["timeline", "ukraine-peace"], ["state", "ukraine-peace", "--as-of", "2025-12-31"],
                 ["replay", "ukraine-peace"], ["sources", "list"]):  # fmt: skip
        code, out = run(seeds, *args, COLUMNS="80")
        assert code == 0
        long = [line for line in out.split("\n") if len(line) > 80 and " " in line.strip()]
        assert long == [], args


# -- an option given twice --------------------------------------------------------


def test_an_option_given_twice_is_refused_not_silently_the_last(ingested):
    result = ingested.run("state", "harbour", "--issue", "fishing", "--issue", "port")
    assert result.exit_code == 2
    assert result.output.endswith("Error: --issue is given 2 times ('fishing', 'port'): it takes one value\n")
    result = ingested.run("timeline", "harbour", "--party", "AV", "--party", "BO")
    assert result.exit_code == 2
    assert "Error: --party is given 2 times ('AV', 'BO'): it takes one value" in result.output
    for command in (["diff", "harbour", "2024-01-01", "2024-02-01"], ["replay", "harbour"], ["timeline", "harbour"]):
        result = ingested.run(*command, "--issue", "fishing", "--issue=port")
        assert result.exit_code == 2, command
        assert "Error: --issue is given 2 times ('fishing', 'port'): it takes one value" in result.output
    once = ingested.run("state", "harbour", "--issue", "port", "--as-of", "2024-01-25")
    assert once.exit_code == 0 and "port  Port access  [open]" in once.output
