"""`./dev bench` runs end to end on a tiny budget and writes well-formed data.

Only that: the figures themselves are measurements, which vary with the machine and its
load, and are never pass/fail here.
"""

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from tests.conftest import IN_CI
from tests.transcripts import ROOT


@pytest.fixture(scope="module")
def tiny_run(rust_toolchain, tmp_path_factory):
    if not shutil.which("wrk"):
        if IN_CI:
            pytest.fail("CI must run the benchmark test, but wrk is missing", pytrace=False)
        pytest.skip("wrk is missing (Debian: apt-get install wrk)")
    out = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        # --workers 2 takes the multi-core path too, which only bigger machines take by default.
        [sys.executable, "tools/benchmark.py", "--seconds", "1", "--warmup", "1", "--runs", "1",
         "--limit", "20000", "--workers", "2", "--out", str(out), "--no-pages"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return out, done.stdout


def test_http_data(tiny_run):
    out, _ = tiny_run
    data = json.loads((out / "http.json").read_text())
    assert {"date", "cpu", "cores", "os", "python", "rustc"} <= set(data["machine"])
    assert len(data["servers"]) == 7
    assert data["cpus"]["Rust: hyper 0.14, 2 cores"]["server"] == "0-1"
    for name, figures in data["servers"].items():
        assert figures["requests_per_s"]["median"] > 0, name
        assert figures["errors"] == 0, name
        assert figures["peak_rss_mib"] > 0, name
        assert 0 < figures["latency_p50_ms"] <= figures["latency_p99_ms"], name
    assert data["servers"][next(iter(data["servers"]))]["ratio_to_rust"] == 1.0


def test_cpu_data(tiny_run):
    out, _ = tiny_run
    data = json.loads((out / "cpu.json").read_text())
    assert data["answer"] == "2262 primes below 20000"
    assert set(data["results"]) == {"Rust threads", "Python threads", "Python processes"}
    for by_workers in data["results"].values():
        assert by_workers["1"]["speedup_vs_1"] == 1.0
        assert all(f["median_s"] > 0 for f in by_workers.values())


def test_charts_are_svg_and_tables_are_printed(tiny_run):
    out, printed = tiny_run
    for name in ("http.svg", "cpu.svg"):
        root = ElementTree.parse(out / name).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
    assert "| Rust: hyper 0.14 (the sample) |" in printed
    assert "| Python processes |" in printed
