"""./dev bench (tools/benchmark/): its arithmetic on recorded and frozen inputs, how it starts
and stops a server, and one run end to end on a tiny budget that writes well-formed data.

The figures themselves are measurements, which vary with the machine and its load, and are
never pass/fail here. data/wrk_*.txt are real `wrk --latency` outputs (wrk 4.1.0, this
machine): `wrk -t1 -c4 -d1s` against a small asyncio server (latencies in us and ms);
`-c8 -d1s` against one that resets every fiftieth connection (read errors); `-c8 -d5s
--timeout 2s` against a threaded server that answers 404 after 1.2, 1.5 or 3 s (latencies in
s, time-outs, non-2xx answers). data/http_previous.json is the published HTTP run of
2026-11-25, cut to three servers and one run each.
"""

import copy
import json
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree

import pydantic
import pytest

from harness.browser import CHROMIUM
from harness.servers import NotServing
from harness.support import ROOT, require
from tests.concurrency.test_prime_count import primes_below
from tools.benchmark import blocking, cpu, frameworks, http, processes, render, wrk
from tools.benchmark.__main__ import compare_with_previous
from tools.benchmark.parts import PARTS

DATA = pathlib.Path(__file__).with_name("data")
STDLIB = [sys.executable, str(ROOT / "snippets/performance/stdlib_server/stdlib_server.py")]


def recorded(name: str) -> str:
    return (DATA / f"wrk_{name}.txt").read_text()


# --- reading wrk's output -------------------------------------------------------------------


def test_parse_wrk_reads_microseconds_and_milliseconds():
    assert wrk.parse_wrk(recorded("us_and_ms")) == {
        "requests_per_s": 25013.28,
        "requests": 25099,
        "latency_p50_ms": pytest.approx(0.113),  # 113.00us
        "latency_p99_ms": 5.47,  # 5.47ms
        "errors": 0,
        "socket_errors": {},
    }


def test_parse_wrk_counts_socket_errors():
    parsed = wrk.parse_wrk(recorded("read_errors"))
    assert parsed["socket_errors"] == {"connect": 0, "read": 1046, "write": 0, "timeout": 0}
    assert parsed["errors"] == 1046
    assert parsed["latency_p99_ms"] == 0.85  # "0.85ms"
    assert (parsed["requests"], parsed["requests_per_s"]) == (51272, 46611.67)


def test_parse_wrk_reads_seconds_and_adds_non_2xx_answers_to_the_errors():
    parsed = wrk.parse_wrk(recorded("seconds_timeouts_404"))
    assert parsed["latency_p50_ms"] == 1510.0  # "1.51s " (wrk pads seconds with a space)
    assert parsed["latency_p99_ms"] == 1570.0
    assert parsed["socket_errors"]["timeout"] == 2
    assert parsed["errors"] == 2 + 18  # the time-outs and "Non-2xx or 3xx responses: 18"
    assert (parsed["requests"], parsed["requests_per_s"]) == (18, 3.51)


def test_parse_wrk_says_when_the_latency_distribution_is_missing():
    without = re.sub(r"  Latency Distribution\n(\s+\d+%.*\n)+", "", recorded("us_and_ms"))
    assert "Requests/sec:" in without and "%  " not in without
    with pytest.raises(ValueError, match=r"no 50% latency \(--latency\) in wrk's output"):
        wrk.parse_wrk(without)


# --- the figures of several runs --------------------------------------------------------------


def loaded(rps: float, p50: float, p99: float, errors: int, rss: float, cpu_us: float) -> dict:
    """A loaded run as wrk.loaded_run returns it."""
    return {
        "requests_per_s": rps,
        "requests": round(rps),
        "latency_p50_ms": p50,
        "latency_p99_ms": p99,
        "errors": errors,
        "socket_errors": {},
        "peak_rss_mib": rss,
        "server_cpu_percent": 99,
        "server_cpu_us_per_request": cpu_us,
        "wrk_cpu_percent": 60,
    }


def test_summarise_takes_medians_sums_the_errors_and_keeps_the_highest_peak():
    runs = [
        loaded(1000.4, 0.5, 2.0, 0, 10.0, 30.0),
        loaded(1200.6, 0.4, 9.0, 3, 12.5, 20.0),
        loaded(800.0, 0.7, 1.0, 1, 11.0, 40.0),
    ]
    assert wrk.summarise(runs) == {
        "requests_per_s": {"median": 1000, "min": 800, "max": 1201},
        "spread_percent": 40.0,  # (1200.6 - 800) / 1000.4
        "latency_p50_ms": 0.5,
        "latency_p99_ms": 2.0,
        "errors": 4,
        "peak_rss_mib": 12.5,
        "server_cpu_percent": 99,
        "server_cpu_us_per_request": 30.0,
        "wrk_cpu_percent": 60,
    }
    wrk.Summary.model_validate_json(json.dumps(wrk.summarise(runs)))
    for run in runs:
        wrk.Run.model_validate_json(json.dumps(run))


def test_runs_that_answered_nothing_are_reported_as_such():
    runs = [loaded(0.0, 0.0, 0.0, 5, 10.0, 0.0), loaded(0.0, 0.0, 0.0, 4, 10.0, 0.0)]
    with pytest.raises(RuntimeError, match=r"no request answered in most of 2 runs"):
        wrk.summarise(runs)


def test_a_median_of_an_even_number_of_runs_lies_between_two():
    assert wrk.median([{"x": 1}, {"x": 2}], "x", 2) == 1.5
    assert wrk.median([{"x": 1}, {"x": 4}], "x") == 2  # rounded half to even, an int
    assert wrk.spread([3.0, 1.0, 10.0, 2.0], "ms", 1) == {
        "median_ms": 2.5,
        "min_ms": 1.0,
        "max_ms": 10.0,
    }


# --- the sentence under the HTTP table ----------------------------------------------------------


@pytest.mark.parametrize(
    ("server", "load", "verdict"),
    [
        (95, 95, ": both were near their limit"),
        (70, 90, ": the load generator was the limit"),
        (100, 89, "of its own."),
    ],
)
def test_saturation_says_which_side_set_the_pace(server, load, verdict):
    said = http.saturation({"server_cpu_percent": server, "wrk_cpu_percent": load})
    assert said.startswith(
        f"While it loaded the Rust server, wrk used {load} % of its core "
        f"and the server {server} % of its own"
    )
    assert verdict in said
    assert said.count(": ") == (0 if verdict == "of its own." else 1)


# --- compared with the run it replaces ----------------------------------------------------------


def this_run() -> dict:
    now = copy.deepcopy(json.loads((DATA / "http_previous.json").read_text()))
    now["servers"]["Python: uvicorn + httptools + uvloop"]["ratio_to_rust"] = 0.3
    new, like = "Python: granian (Rust server, ASGI app)", "Python: http.server (threads)"
    now["servers"][new] = {**now["servers"][like], "ratio_to_rust": 0.5}
    now["cpus"][new], now["runs"][new] = now["cpus"][like], now["runs"][like]
    for figures in now["servers"].values():
        figures.pop("ratio_change_vs_previous_percent", None)
    return now


def test_compare_with_previous_reports_each_ratio_that_moved(tmp_path):
    shutil.copy(DATA / "http_previous.json", tmp_path / "http.json")
    now = this_run()
    report = compare_with_previous(PARTS["http"], tmp_path, now)
    assert report.splitlines() == [
        "Ratios to Rust compared with the previous results (2026-11-25):",
        "- Rust: hyper 1.x (the sample): 1.000 -> 1.000 (+0.0 %)",
        "- Python: uvicorn + httptools + uvloop: 0.257 -> 0.300 (+16.7 %)",
        "- Python: http.server (threads): 0.080 -> 0.080 (+0.0 %)",
    ]
    changes = {n: f.get("ratio_change_vs_previous_percent") for n, f in now["servers"].items()}
    assert changes == {
        "Rust: hyper 1.x (the sample)": 0.0,
        "Python: uvicorn + httptools + uvloop": 16.7,
        "Python: http.server (threads)": 0.0,
        "Python: granian (Rust server, ASGI app)": None,  # not in the previous run
    }
    http.Http.model_validate_json(json.dumps(now))  # the field it adds is in the schema


def test_compare_with_previous_without_a_previous_run(tmp_path):
    assert compare_with_previous(PARTS["http"], tmp_path, this_run()) == (
        "No previous results to compare with."
    )
    assert compare_with_previous(PARTS["cpu"], tmp_path, {}) is None  # nothing to compare


# --- the schemas: strict ------------------------------------------------------------------------


def first_leaf(data: dict) -> list[str]:
    """The path to the first figure of a file: the first entry of its results, all the way
    down (in machine, settings or an optional field, a change proves less)."""
    key = next(k for k in ("results", "servers") if k in data)
    path, node = [key], data[key]
    while isinstance(node, dict):
        path.append(next(iter(node)))
        node = node[path[-1]]
    return path


@pytest.mark.parametrize("how", ["deleted", "renamed"])
@pytest.mark.parametrize("part", PARTS.values(), ids=list(PARTS))
def test_a_figure_renamed_or_deleted_fails_the_schema(part, how):
    data = json.loads(part.json().read_text())
    *parents, leaf = first_leaf(data)
    node = data
    for key in parents:
        node = node[key]
    value = node.pop(leaf)
    if how == "renamed":
        node[f"{leaf}s"] = value
    with pytest.raises(pydantic.ValidationError, match=leaf):
        part.schema.model_validate_json(json.dumps(data))


def test_the_schemas_refuse_a_figure_of_another_type():
    data = json.loads(PARTS["cpu"].json().read_text())
    data["settings"]["runs"] = 5.0
    with pytest.raises(pydantic.ValidationError, match="settings.runs"):
        cpu.Cpu.model_validate_json(json.dumps(data))


def test_names_in_words():
    assert [render.names(n) for n in (["A"], ["A", "B"], ["A", "B", "C"])] == [
        "A",
        "A and B",
        "A, B and C",
    ]


# --- starting and stopping a server ---------------------------------------------------------------


def test_the_bench_starts_a_server_when_it_answers_and_stops_it_with_sigint():
    """Even from a process that ignores SIGINT, as one run in the background (`./dev bench &`)
    does: the standard-library sample, which relies on SIGINT's default, must stop at once,
    not at the SIGKILL that follows `stop_s` later."""
    ignored = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with processes.server(STDLIB, None, processes.HELLO_READY, stop_s=20) as server:
            assert 0 < server.seconds < 30
            assert server.first_line == ""  # it was probed, not read
            leaving = time.monotonic()
        # Ctrl+C's KeyboardInterrupt, which Python sets up only where SIGINT is not ignored;
        # ignored, it would have been SIGKILL's -9 after 20 s.
        assert server.process.returncode == 0
        assert time.monotonic() - leaving < 10
    finally:
        signal.signal(signal.SIGINT, ignored)


def test_the_bench_says_when_a_server_exits_instead_of_serving():
    with pytest.raises(NotServing, match=r"sys.exit\(3\) \d+ exited with 3 before it served"):
        with processes.server([sys.executable, "-c", "import sys; sys.exit(3)"], None):
            pass


def test_a_loaded_run_is_sampled_once_more_after_the_load():
    """What the load left open (a pool's connections) counts even when no sample landed in
    the load's short run: the databases smoke test once read no connections after a run that
    served requests."""
    state: list[str] = []
    seen: list[list[str]] = []

    def load() -> int:
        time.sleep(0.05)
        state.append("connected")
        return 7

    result, wall = processes.while_running(load, lambda: seen.append(list(state)))
    assert result == 7 and wall >= 0.05
    assert seen[0] == [] and seen[-1] == ["connected"]


# --- end to end, on a tiny budget -------------------------------------------------------------

MULTI_CORE = ["Rust: hyper 1.x, 2 cores", "Python: uvicorn + httptools + uvloop, 2 workers"]
# The databases part has its own smoke test (tests/databases/test_measured.py), the
# instructions part tests/performance/test_instructions.py, reload the last test here.
TINY = ["http", "cpu", "blocking", "frameworks"]


@pytest.fixture(scope="module")
def tiny_run(rust_binaries, tmp_path_factory):
    require(shutil.which("wrk"), "wrk is missing (Debian: apt-get install wrk)")
    out = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [sys.executable, "-m", "tools.benchmark"]
        + ["--seconds", "1", "--warmup", "0", "--runs", "1", "--limit", "20000"]
        # --workers 2 takes the multi-core path too, which only bigger machines take by default.
        + ["--workers", "2", *(arg for part in TINY for arg in ("--only", part))]
        # The tests' debug builds (rust_binaries): no release build in the test run.
        + ["--debug", "--skip-clean-builds", "--out", str(out), "--no-pages"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return out, done.stdout


@pytest.mark.parametrize("name", TINY)
def test_every_part_writes_what_its_schema_holds_and_says_which_build(tiny_run, name):
    out, printed = tiny_run
    part = PARTS[name]
    data = part.schema.model_validate_json(part.json(out).read_text())
    assert data.settings.rust_profile == "debug"
    for table in part.tables:
        assert table.render(json.loads(part.json(out).read_text())) in printed
    if part.chart:
        root = ElementTree.parse(part.svg(out)).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title") is not None


def test_http_data(tiny_run, rust_binaries):
    out, printed = tiny_run
    data = json.loads((out / "http.json").read_text())
    # Every server of the table, and the two multi-core rows that --workers 2 adds.
    assert list(data["servers"]) == [*http.servers(rust_binaries), *MULTI_CORE]
    assert data["cpus"]["Rust: hyper 1.x, 2 cores"]["server"] == "0-1"
    assert data["servers"][http.RUST]["ratio_to_rust"] == 1.0
    for name, figures in data["servers"].items():
        assert figures["errors"] == 0, name
        assert figures["requests_per_s"]["median"] > 0, name
        assert figures["peak_rss_mib"] > 0 and figures["server_cpu_us_per_request"] > 0, name
        assert 0 < figures["latency_p50_ms"] <= figures["latency_p99_ms"], name
    assert "No previous results to compare with." in printed


def test_cpu_data(tiny_run):
    out, _ = tiny_run
    data = json.loads((out / "cpu.json").read_text())
    assert data["answer"] == f"{primes_below(20000)} primes below 20000"
    assert list(data["results"]) == list(cpu.VARIANTS)  # the PyO3 module was built and ran


def test_blocking_data(tiny_run):
    out, _ = tiny_run
    data = json.loads((out / "blocking.json").read_text())
    assert list(data["results"]) == list(blocking.VARIANTS)
    for variant, by_how in data["results"].items():
        # The job overruns the heartbeat by 250 ms: a floor, not a timing.
        assert next(iter(by_how.values()))["min_ms"] >= 250, variant


def test_frameworks_data(tiny_run):
    out, _ = tiny_run
    data = json.loads((out / "frameworks.json").read_text())
    assert list(data["results"]) == list(frameworks.SAMPLES)
    for name, figures in data["results"].items():
        for endpoint in frameworks.ENDPOINTS:
            assert figures[endpoint]["errors"] == 0, (name, endpoint)
            assert figures[endpoint]["requests_per_s"]["median"] > 0, (name, endpoint)
        assert figures["startup_ms"] > 0
        assert "clean_release_build_s" not in figures, name  # --skip-clean-builds


@pytest.mark.slow
def test_the_reload_part_runs_end_to_end(tmp_path):
    """One save of each kind for each server (about 20 s): MAINTAINING.md's table from data
    that fits the schema. Chromium is what tests/browser uses; the page and its marker are
    MAINTAINING.md's."""
    require(CHROMIUM.is_file(), f"{CHROMIUM} is missing (Debian: apt-get install chromium)")
    done = subprocess.run(
        [sys.executable, "-m", "tools.benchmark", "--only", "reload", "--edits", "1"]
        + ["--out", str(tmp_path), "--no-pages"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    part = PARTS["reload"]
    part.schema.model_validate_json(part.json(tmp_path).read_text())
    (table,) = part.tables
    assert table.render(json.loads(part.json(tmp_path).read_text())) in done.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["reload.json"]
