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

from harness.support import ROOT, replace_between, require
from tests.concurrency.test_prime_count import primes_below
from tools import benchmark

MULTI_CORE = ["Rust: hyper 1.x, 2 cores", "Python: uvicorn + httptools + uvloop, 2 workers"]


@pytest.fixture(scope="module")
def tiny_run(rust_binaries, tmp_path_factory):
    require(shutil.which("wrk"), "wrk is missing (Debian: apt-get install wrk)")
    out = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        # --workers 2 takes the multi-core path too, which only bigger machines take by default.
        [
            sys.executable,
            "-m",
            "tools.benchmark",
            "--seconds",
            "1",
            "--warmup",
            "0",
            "--runs",
            "1",
            "--limit",
            "20000",
            "--workers",
            "2",
            # The databases part has its own smoke test (tests/databases/test_measured.py).
            *("--only", "http", "--only", "cpu", "--only", "blocking", "--only", "frameworks"),
            # The tests' debug builds (rust_binaries): no release build in the test run.
            "--debug",
            "--skip-clean-builds",
            "--out",
            str(out),
            "--no-pages",
        ],
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
    # Every server of the table, and the two multi-core rows that --workers 2 adds.
    assert list(data["servers"]) == [*benchmark.SERVERS, *MULTI_CORE]
    assert data["cpus"]["Rust: hyper 1.x, 2 cores"]["server"] == "0-1"
    rust = data["servers"][benchmark.RUST]["requests_per_s"]["median"]
    for name, figures in data["servers"].items():
        (run,) = data["runs"][name]
        assert figures["requests_per_s"]["median"] == round(run["requests_per_s"]) > 0, name
        assert figures["ratio_to_rust"] == round(figures["requests_per_s"]["median"] / rust, 3)
        assert figures["errors"] == 0, name
        assert figures["peak_rss_mib"] > 0, name
        assert figures["server_cpu_us_per_request"] > 0, name
        assert 0 < figures["latency_p50_ms"] <= figures["latency_p99_ms"], name


def test_cpu_data(tiny_run):
    out, _ = tiny_run
    data = json.loads((out / "cpu.json").read_text())
    assert data["answer"] == f"{primes_below(20000)} primes below 20000"
    assert list(data["results"]) == list(benchmark.CPU_VARIANTS)
    assert "Python threads calling Rust (PyO3)" in data["results"]
    for by_workers in data["results"].values():
        one = by_workers["1"]["median_s"]
        for figures in by_workers.values():
            assert figures["min_s"] <= figures["median_s"] <= figures["max_s"]
            assert figures["speedup_vs_1"] == round(one / figures["median_s"], 2)


def test_blocking_data(tiny_run):
    out, printed = tiny_run
    data = json.loads((out / "blocking.json").read_text())
    assert list(data["results"]) == list(benchmark.BLOCKING_VARIANTS)
    for variant, by_how in data["results"].items():
        blocked, *offloaded = by_how.values()
        assert len(offloaded) == 2, variant
        # The job overruns the heartbeat by 250 ms: a floor, not a timing.
        assert blocked["min_ms"] >= 250, variant
        for figures in offloaded:
            assert 0 <= figures["min_ms"] <= figures["median_ms"] <= figures["max_ms"]
        assert data["runs"][variant][next(iter(by_how))] == [blocked["median_ms"]]
    assert "| Job | Rust (tokio, one thread) | Python (asyncio) |" in printed


def test_frameworks_data(tiny_run):
    out, printed = tiny_run
    data = json.loads((out / "frameworks.json").read_text())
    assert list(data["results"]) == list(benchmark.FRAMEWORK_SAMPLES)
    for name, figures in data["results"].items():
        for endpoint in benchmark.ENDPOINTS:
            (run,) = data["runs"][name][endpoint]
            got = figures[endpoint]
            assert got["requests_per_s"]["median"] == round(run["requests_per_s"]) > 0, name
            assert got["errors"] == 0, (name, endpoint)
            assert got["server_cpu_us_per_request"] > 0 and got["peak_rss_mib"] > 0
        assert figures["startup_ms"] == data["startup_ms"][name][0] > 0
        sample = benchmark.FRAMEWORK_SAMPLES[name]
        size = "binary_mib" if benchmark.is_rust(sample) else "installed_mib"
        assert figures[size] > 0 and "clean_release_build_s" not in figures, name
    assert "| Framework | GET req/s | POST req/s |" in printed


@pytest.mark.parametrize("part", ["http", "cpu", "blocking", "frameworks"])
def test_every_part_says_which_build_it_measured(tiny_run, part):
    out, _ = tiny_run
    assert json.loads((out / f"{part}.json").read_text())["settings"]["rust_profile"] == "debug"


def test_charts_are_svg_and_tables_are_printed(tiny_run):
    out, printed = tiny_run
    for name in ("http.svg", "cpu.svg", "frameworks.svg"):
        root = ElementTree.parse(out / name).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
    assert "| Rust: hyper 1.x (the sample) |" in printed
    assert "While it loaded the Rust server, wrk used" in printed
    assert "| Python processes |" in printed


@pytest.mark.parametrize(
    ("page", "name"),
    [
        ("performance", "http"),
        ("concurrency", "cpu"),
        ("concurrency", "blocking"),
        ("frameworks", "frameworks"),
        ("frameworks", "frameworks-summary"),
        ("performance", "instructions"),
    ],
)
def test_pages_have_the_markers_the_tool_writes_between(page, name, tmp_path):
    copy = tmp_path / f"{page}.md"
    copy.write_text((ROOT / "docs" / f"{page}.md").read_text())
    replace_between(copy, *benchmark.markers(name), "NEW TABLE")
    text = copy.read_text()
    assert text.count("NEW TABLE") == 1 and "written by ./dev bench" in text
