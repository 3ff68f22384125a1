"""`negotrack export -o` writes safely (issue 16, defect 2), from the record (16.8), in the format asked (17).

Every case runs the real CLI, on SQLite and on PostgreSQL.  A full disk is
made real, not simulated: the export runs in a process whose file size limit
(RLIMIT_FSIZE, with SIGXFSZ ignored) makes the kernel refuse its writes part
way, as a full disk does.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _listing(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.fixture
def harbour(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    backend.root.joinpath("out").mkdir()
    backend.root.joinpath("important.txt").write_text("keep me\n", encoding="utf-8")
    return backend


def test_an_existing_file_is_refused_unless_force_is_given(harbour):
    target = harbour.root / "out" / "h.yaml"
    target.write_text("an older export\n", encoding="utf-8")
    refused = harbour.run("export", "harbour", "-o", "out/h.yaml")
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == "Error: out/h.yaml already exists: give --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "an older export\n"
    assert _listing(harbour.root / "out") == ["h.yaml"]
    forced = harbour.run("export", "harbour", "-o", "out/h.yaml", "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8").startswith("negotrack: 1\n")
    assert _listing(harbour.root / "out") == ["h.sources", "h.sources/hw.txt", "h.yaml"]


@pytest.mark.parametrize("kind", ["symlink", "directory", "device", "pipe"])
def test_a_target_that_is_not_a_regular_file_is_refused_even_with_force(harbour, kind):
    out = harbour.root / "out"
    target, what = "out/h.yaml", {"symlink": "a symbolic link", "directory": "a directory", "device": "a device",
                                  "pipe": "a pipe"}[kind]  # fmt: skip
    if kind == "symlink":
        (out / "h.yaml").symlink_to(harbour.root / "important.txt")
    elif kind == "directory":
        (out / "h.yaml").mkdir()
    elif kind == "device":
        # A node of /dev/full's own (char 1:7): a build that writes over devices (as main did with
        # -o /dev/full, run as root) then damages this copy, not the machine's.
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(out / "h.yaml", 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    else:
        os.mkfifo(out / "h.yaml")
    for extra in ([], ["--force"]):
        result = harbour.run("export", "harbour", "--format", "yaml", "-o", target, *extra)
        assert (result.exit_code, result.stdout) == (2, ""), result.output
        assert result.stderr == f"Error: {target} is {what}: negotrack writes only regular files\n"
    assert harbour.root.joinpath("important.txt").read_text(encoding="utf-8") == "keep me\n"
    mode = os.lstat(out / "h.yaml").st_mode
    kept = {"symlink": stat.S_ISLNK, "directory": stat.S_ISDIR, "device": stat.S_ISCHR, "pipe": stat.S_ISFIFO}[kind]
    assert kept(mode)  # still what it was, not a file put in its place
    assert _listing(out) == ["h.yaml"]


def test_a_link_planted_among_the_source_texts_is_refused_and_nothing_is_written(harbour):
    side = harbour.root / "out" / "h.sources"
    side.mkdir()
    (side / "hw.txt").symlink_to(harbour.root / "important.txt")
    for extra in ([], ["--force"]):
        result = harbour.run("export", "harbour", "-o", "out/h.yaml", *extra)
        assert (result.exit_code, result.stdout) == (2, ""), result.output
        assert result.stderr == "Error: out/h.sources/hw.txt is a symbolic link: negotrack writes only regular files\n"
    assert harbour.root.joinpath("important.txt").read_text(encoding="utf-8") == "keep me\n"
    assert _listing(harbour.root / "out") == ["h.sources", "h.sources/hw.txt"]


def test_a_source_folder_that_is_a_link_elsewhere_is_refused(harbour):
    elsewhere = harbour.root / "elsewhere"
    elsewhere.mkdir()
    (harbour.root / "out" / "h.sources").symlink_to(elsewhere)
    result = harbour.run("export", "harbour", "-o", "out/h.yaml", "--force")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "Error: out/h.sources is a symbolic link, not a folder: negotrack will not write there\n"
    assert _listing(elsewhere) == [] and _listing(harbour.root / "out") == ["h.sources"]


def test_a_planted_temporary_name_is_never_written_through(harbour):
    # Today's main wrote `.h.yaml.partial` in place: a link planted under that name redirected the export.
    (harbour.root / "out" / ".h.yaml.partial").symlink_to(harbour.root / "important.txt")
    result = harbour.run("export", "harbour", "-o", "out/h.yaml")
    assert result.exit_code == 0, result.output
    assert harbour.root.joinpath("important.txt").read_text(encoding="utf-8") == "keep me\n"
    assert (harbour.root / "out" / ".h.yaml.partial").is_symlink()
    assert _listing(harbour.root / "out") == [".h.yaml.partial", "h.sources", "h.sources/hw.txt", "h.yaml"]


def test_the_same_source_texts_already_beside_are_left_as_they_are(harbour):
    assert harbour.run("export", "harbour", "-o", "out/h.yaml").exit_code == 0
    again = harbour.run("export", "harbour", "-o", "out/h.json")  # same stem, same texts: no --force needed
    assert again.exit_code == 0, again.output
    (harbour.root / "out" / "h.sources" / "hw.txt").write_text("edited\n", encoding="utf-8")
    changed = harbour.run("export", "harbour", "-o", "out/h.ndjson")
    assert changed.exit_code == 2
    assert changed.stderr == "Error: out/h.sources/hw.txt already exists: give --force to replace it\n"
    assert not (harbour.root / "out" / "h.ndjson").exists()


def _limited(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def _export_in_a_full_disk(backend, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NEGOTRACK_DB"}
    return subprocess.run(
        [sys.executable, "-m", "negotrack", "export", *args, "--db", backend.db],
        cwd=backend.root, env=env, capture_output=True, text=True, check=False,
        preexec_fn=lambda: _limited(40_000),
    )  # fmt: skip


def test_a_write_that_fails_part_way_leaves_nothing_behind(backend, tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    assert backend.run("ingest", "seeds/ukraine-peace.yaml").exit_code == 0
    (tmp_path / "out").mkdir()
    # The PLOVER export of the seed (about 84 kB) fails in the middle of the file itself.
    result = _export_in_a_full_disk(backend, "ukraine-peace", "-o", "out/u.jsonl", "--format", "plover")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "Error: cannot write out/u.jsonl: File too large; nothing was written\n"
    # The YAML export fits, but one of its source texts does not: the file and the texts written go too.
    big = tmp_path / "seeds" / "000_a6951b3ff344310f.txt"
    long_thread = (tmp_path / "seeds" / "ukraine-peace.yaml").read_text(encoding="utf-8").replace("ukraine-peace", "long")
    (tmp_path / "seeds" / "long.yaml").write_text(long_thread, encoding="utf-8")
    big.write_text(big.read_text(encoding="utf-8") + "\n" + "filler " * 8_000, encoding="utf-8")
    assert backend.run("ingest", "seeds/long.yaml").exit_code == 0
    result = _export_in_a_full_disk(backend, "long", "-o", "out/l.yaml")
    assert (result.returncode, result.stdout) == (1, ""), result.stderr
    assert result.stderr == "Error: cannot write out/l.yaml: File too large; nothing was written\n"
    assert _listing(tmp_path / "out") == []
    # Without the limit, the same export is written whole.
    assert backend.run("export", "long", "-o", "out/l.yaml").exit_code == 0
    assert _listing(tmp_path / "out") == ["l.sources", *[f"l.sources/s00{i}.txt" for i in range(5)], "l.yaml"]


def test_export_reads_the_events_even_when_the_read_model_is_damaged(harbour):
    expected = harbour.run("export", "harbour", "--format", "ndjson").stdout
    harbour.sql("DELETE FROM rm_events WHERE event_id = 'bo-zone'")
    harbour.sql("UPDATE rm_events SET body = '{\"id\": \"av-closed\", \"summary\": \"tampered\"}'")
    harbour.sql("DELETE FROM rm_declarations WHERE kind = 'source'")
    result = harbour.run("export", "harbour", "--format", "ndjson")
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [e["id"] for e in lines[1:]] == ["av-closed", "bo-zone", "av-welcomes"]
    assert lines[1]["summary"] != "tampered" and "hw" in lines[0]["sources"]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("t.ndjson", "ndjson"), ("t.jsonl", "ndjson"), ("t.json", "json"), ("t.yml", "yaml"), ("t.csv", "csv")],
)
def test_the_format_comes_from_the_output_suffix(harbour, name, fmt):
    result = harbour.run("export", "harbour", "-o", f"out/{name}")
    assert result.exit_code == 0, result.output
    text = (harbour.root / "out" / name).read_text(encoding="utf-8")
    first = text.splitlines()[0]
    if fmt == "ndjson":
        assert json.loads(first)["negotrack"] == 1 and len(text.splitlines()) == 4
    elif fmt == "json":
        assert json.loads(text)["thread"]["id"] == "harbour"
    elif fmt == "yaml":
        assert first == "negotrack: 1"
    else:
        assert first.startswith("id,type,date,")
    if fmt != "csv":  # a timeline file: it ingests as it is
        copy = harbour.new_store()
        assert harbour.run("ingest", f"out/{name}", db=copy).exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "yaml", "-o", "out/t.ndjson"],
         "--format yaml contradicts -o t.ndjson (a ndjson file): name it .yaml or .yml, or drop --format"),
        (["--format", "plover", "-o", "out/t.json"],
         "--format plover contradicts -o t.json (a json file): name it .jsonl or .ndjson, or drop --format"),
        (["--format", "csv", "-o", "out/t.yaml"],
         "--format csv contradicts -o t.yaml (a yaml file): name it .csv, or drop --format"),
        (["-o", "out/t.txt"], "-o: t.txt has suffix '.txt': give --format (yaml, json, ndjson, csv, plover, timelinejs)"),
    ],
)  # fmt: skip
def test_a_format_the_output_suffix_contradicts_is_refused(harbour, args, message):
    result = harbour.run("export", "harbour", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")
    assert _listing(harbour.root / "out") == []
