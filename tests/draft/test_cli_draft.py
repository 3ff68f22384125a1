"""`negotrack draft` from the command line: the draft ingests as it is; bad input exits 2 with nothing written."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from draft_support import ARTICLE, DECLARATIONS_YAML

from negotrack.cli import cli

ROOT = Path(__file__).resolve().parents[2]


class Folder:
    def __init__(self, root: Path):
        self.root = root
        self.db = str(root / "store.db")
        self.runner = CliRunner()

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.write_text(text, encoding="utf-8")
        return path

    def run(self, *args: str, db: str | None = None):
        return self.runner.invoke(cli, [*args], env={"NEGOTRACK_DB": db or self.db}, catch_exceptions=False)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Folder:
    monkeypatch.chdir(tmp_path)
    f = Folder(tmp_path)
    f.write("declarations.yaml", DECLARATIONS_YAML)
    f.write("a.txt", ARTICLE)
    assert f.run("ingest", "declarations.yaml").exit_code == 0
    return f


def test_draft_prints_a_summary_and_writes_a_file_that_ingests(folder: Folder):
    result = folder.run("draft", "a.txt", "--thread", "caucasus", "--published", "2025-09-17", "-o", "draft.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == textwrap.dedent(
        """\
        draft: 4 events, 0 commented out; written to draft.yaml
          ConcessionMade: 1
          DemandIssued: 1
          PositionStated: 1
          Rejected: 1
        unattributed: 1 statement (listed at the end of the draft)
          a.txt:11: Observers demanded a quick signature before the summit.
        """
    )
    text = (folder.root / "draft.yaml").read_text(encoding="utf-8")
    assert "# confidence " in text and "# sentence: " in text
    ingest = folder.run("ingest", "draft.yaml", db=str(folder.root / "fresh.db"))  # a fresh store: the draft declares it all
    assert ingest.exit_code == 0, ingest.output
    assert ingest.stdout.startswith("caucasus: 4 new events")
    again = folder.run("ingest", "draft.yaml")  # the store it was drafted from: declarations repeated identically
    assert again.exit_code == 0, again.output


def test_the_seed_articles_draft_into_a_timeline_that_ingests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Done when: `negotrack draft seeds/*.txt --thread ukraine-peace`, on a store holding the seed
    thread's declarations, writes a draft that ingests into a fresh store with those declarations."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "seeds").mkdir()
    for article in sorted((ROOT / "seeds").glob("*.txt")):
        shutil.copyfile(article, tmp_path / "seeds" / article.name)
    coded = yaml.safe_load((ROOT / "seeds" / "ukraine-peace.yaml").read_text(encoding="utf-8"))
    declarations = {"negotrack": 1, "thread": coded["thread"], "sources": coded["sources"], "events": []}
    (tmp_path / "seeds" / "declarations.yaml").write_text(yaml.safe_dump(declarations, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()

    def run(*args: str, db: str):
        return runner.invoke(cli, [*args, "--db", db], catch_exceptions=False)

    for db in ("drafting.db", "fresh.db"):
        assert run("ingest", "seeds/declarations.yaml", db=db).exit_code == 0
    articles = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "seeds").glob("*.txt"))
    result = run("draft", *articles, "--thread", "ukraine-peace", db="drafting.db")
    assert result.exit_code == 0, result.output
    (tmp_path / "draft.yaml").write_text(result.stdout, encoding="utf-8")
    drafted = yaml.safe_load(result.stdout)
    assert len(drafted["events"]) >= 20
    # the store's sources, cited by their ids, with the store's dates
    assert {k: (s["path"], s["published"]) for k, s in drafted["sources"].items()} == {
        k: (f"seeds/{s['path']}", str(s["published"])) for k, s in coded["sources"].items()
    }
    ingest = run("ingest", "draft.yaml", db="fresh.db")
    assert ingest.exit_code == 0, ingest.output
    assert ingest.stdout.startswith(f"ukraine-peace: {len(drafted['events'])} new events")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root / "missing.txt", "Error: the input was refused and nothing was written (1 problem):\n  missing.txt: no such file\n"),
        (lambda root: root, None),
        (lambda root: _write(root / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00"), "  image.txt: source file 'image.txt' is not UTF-8 text\n"),
        (lambda root: _write(root / "nul.txt", b"text\x00with a NUL"), "  nul.txt: not a text file (it holds NUL bytes)\n"),
        (lambda root: _write(root / "latin.txt", "Caf\xe9 talks".encode("latin-1")), "  latin.txt: source file 'latin.txt' is not UTF-8 text\n"),
    ],
)
def test_bad_articles_are_refused_by_name_with_nothing_written(folder: Folder, make, message):
    path = make(folder.root)
    name = str(path.relative_to(folder.root)) if path != folder.root else "."
    result = folder.run("draft", name, "--thread", "caucasus", "--published", "2025-09-17", "-o", "draft.yaml")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert message is None or message in result.stderr
    assert not (folder.root / "draft.yaml").exists()


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_an_unknown_thread_is_refused(folder: Folder):
    result = folder.run("draft", "a.txt", "--thread", "nope", "--published", "2025-09-17")
    assert (result.exit_code, result.stderr) == (2, "Error: no thread 'nope' in the store (threads: caucasus)\n")


def test_an_article_without_a_date_needs_published(folder: Folder):
    result = folder.run("draft", "a.txt", "--thread", "caucasus")
    assert result.exit_code == 2
    assert "no published date for a.txt: give --published DATE" in result.stderr


def test_an_existing_output_is_not_overwritten_without_force(folder: Folder):
    folder.write("draft.yaml", "reviewed by hand\n")
    result = folder.run("draft", "a.txt", "--thread", "caucasus", "--published", "2025-09-17", "-o", "draft.yaml")
    assert result.exit_code == 2
    assert "draft.yaml exists: give --force to overwrite it" in result.stderr
    assert (folder.root / "draft.yaml").read_text() == "reviewed by hand\n"
    forced = folder.run("draft", "a.txt", "--thread", "caucasus", "--published", "2025-09-17", "-o", "draft.yaml", "--force")
    assert forced.exit_code == 0


def test_a_draft_is_never_written_through_a_link(folder: Folder):
    target = folder.write("reviewed.yaml", "reviewed by hand\n")
    (folder.root / "draft.yaml").symlink_to(target)
    result = folder.run("draft", "a.txt", "--thread", "caucasus", "--published", "2025-09-17", "-o", "draft.yaml", "--force")
    assert result.exit_code == 2
    assert "draft.yaml is a symbolic link: negotrack writes only regular files" in result.stderr
    assert target.read_text() == "reviewed by hand\n"
    assert (folder.root / "draft.yaml").is_symlink()


def test_the_published_date_comes_from_the_store_when_it_holds_the_article(folder: Folder):
    folder.write(
        "source.yaml",
        "negotrack: 1\nthread: {id: caucasus}\nsources:\n  wire: {path: a.txt, title: The wire, published: 2025-09-17}\nevents: []\n",
    )
    assert folder.run("ingest", "source.yaml").exit_code == 0
    result = folder.run("draft", "a.txt", "--thread", "caucasus")
    assert result.exit_code == 0, result.output
    drafted = yaml.safe_load(result.stdout)
    assert drafted["sources"] == {"wire": {"path": "a.txt", "title": "The wire", "published": "2025-09-17"}}
    assert {e["source"]["ref"] for e in drafted["events"]} == {"wire"}
