"""The Production page's two measurements.

testcycle: how long a test run takes after a one-line change to the service, as a developer
meets it (edit, then tests green): `cargo test` on a copy of the Axum service (an incremental
build, then the tests) and `pytest` on a copy of the FastAPI one, each edit a change to the
message a handler logs, which no test reads.

logging: what writing a JSON line for every request costs each service: GET /users/1 under
wrk with APP_LOG_LEVEL=info (a line per request, to a file) and with warn (none), runs
interleaved, each service on one core and wrk on the other.
"""

import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Literal

from harness import support
from harness.support import ROOT
from tools.benchmark import processes, render, wrk
from tools.benchmark.frameworks import create_ann
from tools.benchmark.processes import SamplePython
from tools.benchmark.schema import Cpus, Document, Profile, Strict

PRODUCTION = ROOT / "snippets/production"
RUST, PYTHON = "Axum (cargo test)", "FastAPI (pytest)"
# The line each edit changes, back and forth: a log message no test reads.
EDITED = {RUST: "src/users.rs", PYTHON: "users.py"}
MESSAGES = ('"user created"', '"user created."')


def copy(sample: str, rename: bool = False) -> pathlib.Path:
    """The sample's files in a folder of the benchmark's own (kept, so that a later run finds
    its build warm). The Rust copy is a package of another name, so that its binary does not
    replace the tests' in the shared target directory; its library keeps its name."""
    work = support.TARGET / "bench/testcycle" / sample
    source = PRODUCTION / sample
    for path in source.rglob("*"):
        caches = {"__pycache__", ".pytest_cache"}
        if path.is_file() and not caches & set(path.parts):
            to = work / path.relative_to(source)
            to.parent.mkdir(parents=True, exist_ok=True)
            if not to.is_file() or to.read_bytes() != path.read_bytes():
                shutil.copyfile(path, to)
    if rename:
        manifest = (source / "Cargo.toml").read_text()
        manifest = manifest.replace(f'name = "{sample}"', f'name = "{sample}_edited"', 1)
        (work / "Cargo.toml").write_text(f'{manifest}\n[lib]\nname = "{sample}"\n')
        shutil.copyfile(ROOT / "Cargo.lock", work / "Cargo.lock")
    return work


def edit(path: pathlib.Path) -> None:
    """One line changed: the message, to the other of MESSAGES."""
    text = path.read_text()
    old, new = MESSAGES if MESSAGES[1] not in text else MESSAGES[::-1]
    assert text.count(old) == 1, f"{path}: {old} is not there once"
    path.write_text(text.replace(old, new))


def timed(argv: list, cwd: pathlib.Path, env: dict, expect: str = "") -> float:
    """Seconds `argv` took; it must succeed and print `expect` (to stdout or stderr)."""
    started = time.monotonic()
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    took = time.monotonic() - started
    printed = done.stdout + done.stderr
    if done.returncode != 0 or expect not in printed:
        raise RuntimeError(
            f"{' '.join(map(str, argv))} failed or did not say {expect!r}:\n{printed}"
        )
    return took


def rust_cycles(edits: int) -> list[dict[str, float]]:
    """Edit, `cargo test --no-run` (the build), `cargo test` (the run): incremental builds,
    as cargo's dev profile has them by default (CI turns them off; a developer does not)."""
    work = copy("service_axum", rename=True)
    env = {**os.environ, "CARGO_INCREMENTAL": "1"}
    env.pop("RUSTFLAGS", None)
    build, test = ["cargo", "test", "--no-run"], ["cargo", "test", "-q"]
    timed(build, work, env)  # warm: dependencies built, the crate's incremental data written
    cycles = []
    for i in range(edits):
        print(f"edit {i + 1}/{edits}: cargo test", file=sys.stderr)
        edit(work / EDITED[RUST])
        built = timed(build, work, env, expect="Compiling service_axum_edited")
        cycles.append({"build_s": built, "test_s": timed(test, work, env, expect="5 passed")})
    return cycles


def python_cycles(edits: int) -> list[dict[str, float]]:
    """Edit, `pytest` (a new interpreter each time, as from a terminal), in a virtual
    environment of the sample's own requirements.txt."""
    work = copy("service_fastapi")
    python = SamplePython(PRODUCTION / "service_fastapi")
    test = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    timed(test, work, dict(os.environ))  # warm: the environment made, the files cached
    cycles = []
    for i in range(edits):
        print(f"edit {i + 1}/{edits}: pytest", file=sys.stderr)
        edit(work / EDITED[PYTHON])
        took = timed(test, work, dict(os.environ), expect="5 passed")
        cycles.append({"build_s": 0.0, "test_s": took})
    return cycles


def run_testcycle(args, target: pathlib.Path) -> dict:
    edits = args.edits
    runs = {RUST: rust_cycles(edits), PYTHON: python_cycles(edits)}
    results = {}
    for name, cycles in runs.items():
        totals = [c["build_s"] + c["test_s"] for c in cycles]
        results[name] = {
            "total": wrk.spread(totals, "s", 2),
            "build_median_s": round(statistics.median(c["build_s"] for c in cycles), 2),
            "test_median_s": round(statistics.median(c["test_s"] for c in cycles), 2),
        }
    return {"settings": {"edits": edits}, "results": results, "runs": runs}


def testcycle_table(data: dict) -> str:
    r = data["results"]
    lines = [
        render.describe(data["machine"])
        + f" {data['settings']['edits']} edits of one line each (a log message in the "
        "handler that creates a user), each followed by the test run; median, lowest to "
        "highest in brackets. `cargo test` builds incrementally, as cargo's dev profile does "
        "by default, and runs every test target (the library's, the binary's, "
        "tests/users.rs and the doc tests); pytest starts a new interpreter each time.",
        "",
        "| Service | Edit → tests green | of which the build | and the tests |",
        "| --- | --- | --- | --- |",
    ]
    for name, f in r.items():
        t = f["total"]
        build = f"{f['build_median_s']:.2f} s" if f["build_median_s"] else "–"
        lines.append(
            f"| {name} | **{t['median_s']:.2f} s** ({t['min_s']:.2f}–{t['max_s']:.2f}) "
            f"| {build} | {f['test_median_s']:.2f} s |"
        )
    return "\n".join(lines)


# --- logging ------------------------------------------------------------------------------

SERVICES = {"Axum": "service_axum", "FastAPI (uvicorn)": "service_fastapi"}
# APP_LOG_LEVEL: info writes a line per request; warn, none.
LEVELS = {"logged": "info", "not_logged": "warn"}
READY = ("/health", None)


def argv(sample: str, target: pathlib.Path) -> list:
    if (PRODUCTION / sample / "Cargo.toml").is_file():
        return [target / sample]
    return [SamplePython(PRODUCTION / sample), str(PRODUCTION / sample / "main.py")]


def request_line_bytes(log: pathlib.Path) -> float:
    """The mean size of the line written for each request (the readiness polls', the
    warm-up's and the measured run's alike; not the start-up's or the handler's lines)."""
    lines = [line for line in log.read_bytes().splitlines() if b'"message":"request"' in line]
    return statistics.mean(len(line) + 1 for line in lines)  # and its newline


def run_logging(args, target: pathlib.Path) -> dict:
    server_cpus, wrk_cpus = processes.server_and_load_cpus()
    runs = {name: {mode: [] for mode in LEVELS} for name in SERVICES}
    logged = {name: [] for name in SERVICES}
    with tempfile.TemporaryDirectory() as folder:
        log = pathlib.Path(folder) / "stdout.log"
        for i in range(args.runs):
            for name, sample in SERVICES.items():
                for mode, level in LEVELS.items():
                    print(f"run {i + 1}/{args.runs}: {name}, logs: {mode}", file=sys.stderr)
                    setup = wrk.Setup(
                        argv(sample, target),
                        server_cpus,
                        wrk_cpus,
                        READY,
                        env={"APP_LOG_LEVEL": level},
                        stdout=log,
                    )
                    request = ("/users/1", None)
                    figures = wrk.loaded_run(
                        setup, args.seconds, args.warmup, args.connections, request, create_ann
                    )
                    runs[name][mode].append(figures)
                    if level == "info":
                        logged[name].append(request_line_bytes(log))
    results = {}
    for name in SERVICES:
        on, off = (wrk.summarise(runs[name][mode]) for mode in LEVELS)
        results[name] = {
            "logged": on,
            "not_logged": off,
            "throughput_ratio": round(
                on["requests_per_s"]["median"] / off["requests_per_s"]["median"], 3
            ),
            "extra_cpu_us_per_request": round(
                on["server_cpu_us_per_request"] - off["server_cpu_us_per_request"], 2
            ),
            "bytes_per_request": round(statistics.median(logged[name])),
        }
    return {
        "settings": {
            **wrk.load_settings(args, target),
            "cpus": {"server": server_cpus, "wrk": wrk_cpus},
        },
        "results": results,
        "runs": runs,
    }


def logging_table(data: dict) -> str:
    s = data["settings"]
    lines = [
        render.describe(data["machine"])
        + f" GET /users/1 loaded by wrk ({s['connections']} connections, {s['seconds']} s "
        f"after {s['warmup_seconds']} s of warm-up), each service on one core and wrk on the "
        f"other; median of {s['runs']} interleaved runs; Rust built in {s['rust_profile']} "
        "mode, FastAPI from a virtual environment of its own requirements.txt. Logged: "
        "APP_LOG_LEVEL=info, a JSON line per request written to a file; not logged: warn.",
        "",
        "| Service | req/s, logged | req/s, not logged | logged ÷ not | CPU per request, "
        "logged | not logged | the log's cost | Log per request |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, f in data["results"].items():
        on, off = f["logged"], f["not_logged"]
        lines.append(
            f"| {name} | {on['requests_per_s']['median']:,} | "
            f"{off['requests_per_s']['median']:,} | {f['throughput_ratio']:.2f} | "
            f"{on['server_cpu_us_per_request']:.1f} µs | "
            f"{off['server_cpu_us_per_request']:.1f} µs | "
            f"{f['extra_cpu_us_per_request']:.1f} µs | {f['bytes_per_request']} bytes |"
        )
    errors = sum(f[mode]["errors"] for f in data["results"].values() for mode in LEVELS)
    lines += ["", f"Errors (socket errors and non-2xx answers) in all runs: {errors}."]
    return "\n".join(lines)


# --- docs/benchmarks/testcycle.json and logging.json --------------------------------------


class Total(Strict):
    median_s: float
    min_s: float
    max_s: float


class Cycle(Strict):
    build_s: float
    test_s: float


class CycleResult(Strict):
    total: Total
    build_median_s: float
    test_median_s: float


class TestcycleSettings(Strict):
    edits: int


Language = Literal[RUST, PYTHON]


class Testcycle(Document):
    settings: TestcycleSettings
    results: dict[Language, CycleResult]
    runs: dict[Language, list[Cycle]]


class LoggingCpus(Strict):
    server: Cpus
    wrk: Cpus


class LoggingSettings(Strict):
    seconds: int
    warmup_seconds: int
    connections: int
    runs: int
    rust_profile: Profile
    cpus: LoggingCpus


Service = Literal[tuple(SERVICES)]
Mode = Literal[tuple(LEVELS)]


class LoggingResult(Strict):
    logged: wrk.Summary
    not_logged: wrk.Summary
    throughput_ratio: float
    extra_cpu_us_per_request: float
    bytes_per_request: int


class Logging(Document):
    settings: LoggingSettings
    results: dict[Service, LoggingResult]
    runs: dict[Service, dict[Mode, list[wrk.Run]]]
