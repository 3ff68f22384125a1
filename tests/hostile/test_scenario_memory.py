"""Memory stays flat over many scenario files (issue 16, defect 9): each scenario's store is freed.

3,000 scenario files used to grow ``negotrack check`` to 716 MB, about 0.2 MB
per scenario.  Here the peak RSS of a run of 150 files is compared with that of
a run of 15, both through the real command in a child process.
"""

from __future__ import annotations

from pathlib import Path

from hostile_support import SOURCE_TEXT, run_negotrack

SCENARIO = """\
negotrack: 1
scenario: scenario {i}
clock: '2024-06-01T00:00:00Z'
thread:
  id: t{i}
  parties: {{AV: {{name: Avalon}}}}
  issues: {{fishing: {{title: Fishing zone, proposition: A joint fishing zone is created}}}}
sources:
  hw: {{path: hw.txt, title: Harbour Wire}}
events:
- {{id: av-closed, type: DemandIssued, date: '2024-01-10', by: AV, issue: fishing, demand: closed, stance: opposes,
   summary: Avalon demands the harbour stay closed, source: {{ref: hw, quote: the harbour must stay closed to foreign fleets}}}}
expect:
- {{as_of: '2024-02-01', issue: fishing, status: open}}
"""


def scenarios(folder: Path, n: int) -> Path:
    folder.mkdir()
    (folder / "hw.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    for i in range(n):
        (folder / f"s{i:04d}.scenario.yaml").write_text(SCENARIO.format(i=i), encoding="utf-8")
    return folder


def test_memory_does_not_grow_with_the_number_of_scenario_files(tmp_path: Path):
    peaks = {}
    for n in (15, 150):
        folder = scenarios(tmp_path / f"n{n}", n)
        result = run_negotrack(folder, "check", ".", cpu=120, guard_seconds=600)
        assert result.code == 0, result.stderr + result.stdout
        assert result.stdout.rstrip().endswith(f"{n} passed, 0 failed")
        peaks[n] = result.max_rss_mb
    # 0.2 MB per scenario before the fix: 27 MB more for 135 more files
    assert peaks[150] - peaks[15] < 8, f"peak RSS {peaks[15]:.0f} MB for 15 files, {peaks[150]:.0f} MB for 150"
