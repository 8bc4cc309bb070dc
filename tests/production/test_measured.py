"""`./dev bench --only testcycle` and `--only logging` run end to end on a tiny budget (that
the tables and the sentences about them are what the JSON renders,
tests/performance/test_published.py checks, as for every part). The figures themselves are
measurements and never pass/fail."""

import json
import shutil
import subprocess
import sys

import pytest

from harness.support import ROOT, require
from tools.benchmark import production
from tools.benchmark.parts import PARTS


def bench(tmp_path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tools.benchmark", *args, "--out", str(tmp_path), "--no-pages"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def check(name: str, folder, printed: str) -> dict:
    part = PARTS[name]
    part.schema.model_validate_json(part.json(folder).read_text())
    data = json.loads(part.json(folder).read_text())
    (table,) = part.tables
    assert table.render(data) in printed
    return data


@pytest.mark.slow
def test_the_test_cycle_part_runs_end_to_end(rust_binaries, tmp_path):
    printed = bench(tmp_path, "--only", "testcycle", "--edits", "1")
    data = check("testcycle", tmp_path, printed)
    # The part itself refuses an edit that cargo did not compile again, or a run that did not
    # pass all five tests: here each took time.
    for name, (cycle,) in data["runs"].items():
        assert cycle["test_s"] > 0, name
    assert data["runs"][production.RUST][0]["build_s"] > 0


@pytest.mark.slow
def test_the_logging_part_runs_end_to_end(rust_binaries, tmp_path):
    require(shutil.which("wrk"), "wrk is missing (Debian: apt-get install wrk)")
    printed = bench(
        tmp_path, "--only", "logging", "--debug", "--seconds", "1", "--warmup", "0", "--runs", "1"
    )
    data = check("logging", tmp_path, printed)
    for name, figures in data["results"].items():
        for mode in production.LEVELS:
            # Errors in a one-second run of a debug build are the machine's load, not a
            # broken part: the part ran when it answered requests (requests/s counts those).
            assert figures[mode]["requests_per_s"]["median"] > 0, (name, mode)
        # A JSON line per request, with its fields: not empty, not a whole page.
        assert 100 < figures["bytes_per_request"] < 1000, name
