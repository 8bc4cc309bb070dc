"""`./dev bench --only testcycle` and `--only logging` run end to end on a tiny budget, and
what the Production page says of their published runs holds in them (that the tables are what
the JSON renders, tests/performance/test_published.py checks, as for every part). The figures
themselves are measurements and never pass/fail."""

import json
import shutil
import subprocess
import sys

import pytest

from harness.support import ROOT, require
from tools.benchmark import production
from tools.benchmark.parts import PARTS

PUBLISHED = ROOT / "docs/benchmarks"


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
            assert figures[mode]["errors"] == 0, (name, mode)
            assert figures[mode]["requests_per_s"]["median"] > 0, (name, mode)
        # A JSON line per request, with its fields: not empty, not a whole page.
        assert 100 < figures["bytes_per_request"] < 1000, name


# --- what the page says of the published runs ------------------------------------------------


def published(name: str) -> dict:
    return json.loads(PARTS[name].json(PUBLISHED).read_text())


def test_more_than_four_fifths_of_rusts_test_cycle_is_the_build():
    rust = published("testcycle")["results"][production.RUST]
    assert rust["build_median_s"] > 0.8 * (rust["build_median_s"] + rust["test_median_s"])


def test_a_log_line_costs_rust_more_of_its_throughput_but_less_cpu():
    rust, python = (published("logging")["results"][name] for name in production.SERVICES)
    assert rust["throughput_ratio"] < python["throughput_ratio"]
    assert 5 * rust["extra_cpu_us_per_request"] < python["extra_cpu_us_per_request"]
    # "more than a third of a logged Rust request's CPU time, less than a fifth of Python's"
    share = {
        name: f["extra_cpu_us_per_request"] / f["logged"]["server_cpu_us_per_request"]
        for name, f in (("rust", rust), ("python", python))
    }
    assert share["rust"] > 1 / 3 and share["python"] < 1 / 5, share
