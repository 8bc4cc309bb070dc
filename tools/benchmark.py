"""Measure the Performance and Concurrency pages' claims on this machine.

`./dev bench` builds the Rust samples in release mode (`--debug`: debug, for the smoke
test), then:

- HTTP: starts each "Hello, world!" server on 127.0.0.1, one at a time, and loads it with
  wrk (server and wrk pinned to different cores where there are two), with a warm-up, a
  fixed duration and connection count, several runs with the servers interleaved. It
  records requests/s, latency percentiles, errors, peak RSS of the server's process tree,
  the CPU time of the server and of wrk, and each server's ratio to the Rust sample.
- CPU: times the prime-counting sample in Rust threads, Python threads and Python
  processes, and Python threads calling the Rust function of the PyO3 sample (built
  by maturin in release mode), for 1, 2 and all cores.
- Blocking: runs the blocking-in-async sample in both languages with `--timings`, and
  records how late the heartbeat task woke with the blocking call in the task and with
  it moved to a thread (spawn_blocking, asyncio.to_thread).

It writes docs/benchmarks/{http,cpu,blocking}.json (and .svg charts for the first two)
and rewrites the tables between the `<!-- bench:... -->` markers of docs/performance.md
and docs/concurrency.md. Frameworks and Databases do the same for their pages
(tools/benchmark_databases.py); Reload times the author's loop of `./dev serve`
(tools/author_loop.py) and writes README's table. `--only` runs some of the parts. It is a
benchmark, not a test: the figures vary with the machine and its load.
"""

import argparse
import contextlib
import datetime
import json
import os
import pathlib
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

import psutil

from harness import support
from harness.support import ROOT, replace_between
from tools import author_loop, pyo3_module

HELLO = ROOT / "snippets/performance/hello_server"
OUT = ROOT / "docs/benchmarks"
PYTHON = sys.executable


# --- the servers ---------------------------------------------------------------------


def uvicorn(http: str, loop: str) -> list[str]:
    return [
        SamplePython(HELLO),
        "-m",
        "uvicorn",
        "hello_server:app",
        "--app-dir",
        str(HELLO),
        "--http",
        http,
        "--loop",
        loop,
        "--lifespan",
        "off",
        "--no-server-header",
        "--no-access-log",
        "--log-level",
        "warning",
        "--host",
        "127.0.0.1",
        "--port",
    ]


STDLIB = ROOT / "snippets/performance/stdlib_server"
# The standard-library sample as a newcomer would first write it: Nagle's algorithm left on.
WITH_NAGLE = (
    f"import sys; sys.path.insert(0, {str(STDLIB)!r}); import stdlib_server as s; "
    "s.Hello.disable_nagle_algorithm = False; s.main()"
)

PARTS = ["http", "cpu", "blocking", "frameworks", "databases", "instructions", "reload"]

# Where the Rust samples' binaries are: release builds, or debug ones for the smoke test
# (`--debug`, set in main before anything runs), which reuses the tests' build.
TARGET = support.TARGET / "release"


class SamplePython(os.PathLike):
    """The Python of a virtual environment holding a sample's requirements.txt and nothing
    else (and `extra`, such as another server the page runs it on), made when a command
    first runs: the benchmark measures the stack a reader installs, not this project's venv
    (where uvicorn's `auto` would find httptools and uvloop whatever the sample pins)."""

    def __init__(self, folder: pathlib.Path, *extra: str):
        self.folder, self.extra = folder, list(extra)
        self.python: str | None = None

    def __fspath__(self) -> str:
        if self.python is None:
            requirements = (self.folder / "requirements.txt").read_text()
            work = support.COPIES / "bench" / self.folder.name
            work.mkdir(parents=True, exist_ok=True)
            (work / "requirements.txt").write_text(requirements)
            self.python = support.environment(
                {"requirements.txt": requirements},
                ["-r", "requirements.txt", *self.extra],
                cwd=work,
            )
        return self.python

    __str__ = __fspath__


def pinned_requirement(name: str) -> str:
    """`name==version` as this project's requirements.txt pins it."""
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.lower().startswith(f"{name}=="):
            return line.split()[0]
    raise LookupError(f"{name} is not pinned in requirements.txt")


class RustBinary(os.PathLike):
    """A sample's binary in TARGET, looked up when a command runs, not at import."""

    def __init__(self, name: str):
        self.name = name

    def __fspath__(self) -> str:
        return str(TARGET / self.name)

    __str__ = __fspath__


SERVERS = {
    "Rust: hyper 1.x (the sample)": [RustBinary("hello_server")],
    "Python: uvicorn + httptools + uvloop": uvicorn("httptools", "uvloop"),
    "Python: uvicorn + h11 + asyncio": uvicorn("h11", "asyncio"),
    "Python: granian (Rust server, ASGI app)": [
        SamplePython(HELLO, pinned_requirement("granian")),
        "-m",
        "granian",
        "--interface",
        "asgi",
        "--working-dir",
        str(HELLO),
        "--workers",
        "1",
        "--no-log",
        "--host",
        "127.0.0.1",
        "hello_server:app",
        "--port",
    ],
    "Python: http.server (threads)": [PYTHON, str(STDLIB / "stdlib_server.py")],
    "Python: http.server, Nagle on": [PYTHON, "-c", WITH_NAGLE],
}
RUST = next(iter(SERVERS))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pinned(cpus: str | None, argv: list[str]) -> list[str]:
    """`argv` restricted to the CPUs in `cpus` ("0", "0-2"), or as it is for None."""
    return argv if cpus is None else ["taskset", "-c", cpus, *argv]


@contextlib.contextmanager
def server(
    argv: list[str],
    cpus: str | None,
    ready: tuple[str, bytes] = ("/", b"Hello, world!"),
    startup_s: float = 30,
    stop_s: float = 10,
):
    """The server on a free port (its last argument), once GET `ready[0]` answers `ready[1]`;
    stopped with SIGINT, killed if it has not exited `stop_s` later."""
    port = free_port()
    process = subprocess.Popen(
        pinned(cpus, [*argv, str(port)]),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        # Run in the background (`./dev bench &`), SIGINT is ignored, and a server that
        # relies on its default (the standard-library sample) would never stop.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + startup_s
        while True:
            try:
                url = f"http://127.0.0.1:{port}{ready[0]}"
                with urllib.request.urlopen(url, timeout=1) as answer:
                    assert ready[1] is None or answer.read() == ready[1]
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{argv[0]} did not start serving") from None
                time.sleep(0.1)
        yield process, port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=stop_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def tree(process: subprocess.Popen) -> list[psutil.Process]:
    root = psutil.Process(process.pid)
    return [root, *root.children(recursive=True)]


def cpu_by_pid(processes: list[psutil.Process]) -> dict[int, float]:
    found = {}
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            found[process.pid] = times.user + times.system
    return found


def cpu_since(before: dict[int, float], processes: list[psutil.Process]) -> float:
    """CPU seconds the processes used since `before`, process by process: one that started
    since counts whole, one that has exited since counts nothing (summing totals would
    subtract its time, as for PostgreSQL backends that the service run before left open)."""
    now = cpu_by_pid(processes)
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in now.items())


def rss(processes: list[psutil.Process]) -> int:
    total = 0
    for p in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def parse_wrk(text: str) -> dict:
    def latency(pct: str) -> float:
        value, unit = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
        return float(value) * UNITS[unit]

    socket_errors = {
        kind: int(n) for kind, n in re.findall(r"(connect|read|write|timeout) (\d+)", text)
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = sum(socket_errors.values()) + (int(non_2xx[1]) if non_2xx else 0)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1]),
        "requests": int(re.search(r"(\d+) requests in", text)[1]),
        "latency_p50_ms": latency("50"),
        "latency_p99_ms": latency("99"),
        "errors": errors,
        "socket_errors": socket_errors,
    }


def wrk(
    port: int,
    seconds: float,
    connections: int,
    cpus: str | None,
    path: str = "/",
    script: pathlib.Path | None = None,
    script_args: tuple[str, ...] = (),
) -> tuple[str, float]:
    """Run wrk (with a Lua `script` for requests other than GET, given `script_args`);
    returns its output and the CPU seconds it used."""
    argv = pinned(
        cpus,
        [
            "wrk",
            "-t1",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            *(["-s", str(script)] if script else []),
            f"http://127.0.0.1:{port}{path}",
            *(["--", *script_args] if script_args else []),
        ],
    )
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise RuntimeError(output)
    return output, usage.ru_utime + usage.ru_stime


def http_run(
    setup: dict,
    seconds: float,
    warmup: float,
    connections: int,
    request: tuple[str, pathlib.Path | None] = ("/", None),
    prepare=lambda port: None,
) -> dict:
    """One loaded run: `request` is the path and wrk's Lua script; `prepare(port)` runs
    before the load (to create the user the GET asks for)."""
    wrk_core = setup["wrk_cpus"]
    with server(
        setup["argv"], setup["server_cpus"], setup.get("ready", ("/", b"Hello, world!"))
    ) as (
        process,
        port,
    ):
        prepare(port)
        if warmup:
            wrk(port, warmup, connections, wrk_core, *request)
        cpu_before, peak = cpu_by_pid(tree(process)), rss(tree(process))
        measured: dict = {}
        load = threading.Thread(
            target=lambda: measured.update(run=wrk(port, seconds, connections, wrk_core, *request))
        )
        started = time.monotonic()
        load.start()
        while load.is_alive():  # sample the memory of the whole tree while wrk runs
            peak = max(peak, rss(tree(process)))
            load.join(0.2)
        wall = time.monotonic() - started
        output, wrk_cpu = measured["run"]
        figures = parse_wrk(output)
        server_cpu = cpu_since(cpu_before, tree(process))
        figures.update(
            peak_rss_mib=round(peak / 2**20, 1),
            server_cpu_percent=round(100 * server_cpu / wall),
            # Unlike requests/s, this does not depend on how fast wrk can send.
            server_cpu_us_per_request=round(1e6 * server_cpu / max(figures["requests"], 1), 2),
            wrk_cpu_percent=round(100 * wrk_cpu / wall),
        )
        return figures


def summarise(runs: list[dict]) -> dict:
    rps = [r["requests_per_s"] for r in runs]
    return {
        "requests_per_s": {
            "median": round(statistics.median(rps)),
            "min": round(min(rps)),
            "max": round(max(rps)),
        },
        "spread_percent": round(100 * (max(rps) - min(rps)) / statistics.median(rps), 1),
        "latency_p50_ms": round(statistics.median(r["latency_p50_ms"] for r in runs), 3),
        "latency_p99_ms": round(statistics.median(r["latency_p99_ms"] for r in runs), 3),
        "errors": sum(r["errors"] for r in runs),
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
        "server_cpu_percent": round(statistics.median(r["server_cpu_percent"] for r in runs)),
        "server_cpu_us_per_request": round(
            statistics.median(r["server_cpu_us_per_request"] for r in runs), 2
        ),
        "wrk_cpu_percent": round(statistics.median(r["wrk_cpu_percent"] for r in runs)),
    }


def setups(workers: int) -> dict[str, dict]:
    """Each server on one core, wrk on another; with `workers` > 1, also the Rust sample and
    uvicorn on that many cores (uvicorn --workers), wrk on the next core if there is one."""
    cpus = len(os.sched_getaffinity(0))
    one = ("0", "1") if cpus >= 2 else (None, None)
    found = {
        name: {"argv": argv, "server_cpus": one[0], "wrk_cpus": one[1]}
        for name, argv in SERVERS.items()
    }
    if workers > 1:
        many = {
            "server_cpus": f"0-{workers - 1}",
            "wrk_cpus": str(workers) if workers < cpus else None,
        }
        found[f"Rust: hyper 1.x, {workers} cores"] = {"argv": SERVERS[RUST], **many}
        fast = SERVERS["Python: uvicorn + httptools + uvloop"]
        found[f"Python: uvicorn + httptools + uvloop, {workers} workers"] = {
            "argv": [*fast[:-1], "--workers", str(workers), fast[-1]],
            **many,
        }
    return found


def http_benchmark(args) -> dict:
    workers = (
        args.workers
        if args.workers is not None
        else (len(os.sched_getaffinity(0)) - 1 if len(os.sched_getaffinity(0)) >= 4 else 1)
    )
    variants = setups(workers)
    runs: dict[str, list] = {name: [] for name in variants}
    for i in range(args.runs):
        for name, setup in variants.items():  # interleaved: drift in the load hits all alike
            print(f"run {i + 1}/{args.runs}: {name}", file=sys.stderr)
            runs[name].append(http_run(setup, args.seconds, args.warmup, args.connections))
    summary = {name: summarise(r) for name, r in runs.items()}
    rust = summary[RUST]["requests_per_s"]["median"]
    for s in summary.values():
        s["ratio_to_rust"] = round(s["requests_per_s"]["median"] / rust, 3)
    return {
        "settings": {
            "seconds": args.seconds,
            "warmup_seconds": args.warmup,
            "connections": args.connections,
            "runs": args.runs,
            "wrk_threads": 1,
            "rust_profile": TARGET.name,
        },
        "cpus": {
            name: {"server": v["server_cpus"], "wrk": v["wrk_cpus"]} for name, v in variants.items()
        },
        "servers": summary,
        "runs": runs,
    }


# --- the CPU-bound comparison ------------------------------------------------------------

PRIMES = ROOT / "snippets/concurrency/prime_count"
CPU_VARIANTS = {
    "Rust threads": lambda limit, n: [RustBinary("prime_count"), str(limit), str(n)],
    "Python threads": lambda limit, n: [PYTHON, str(PRIMES / "prime_count.py"), str(limit), str(n)],
    "Python processes": lambda limit, n: [
        PYTHON,
        str(PRIMES / "prime_count.py"),
        str(limit),
        str(n),
        "processes",
    ],
    # PYTHONPATH names the build of the PyO3 sample (see main).
    "Python threads calling Rust (PyO3)": lambda limit, n: [
        PYTHON,
        str(ROOT / "snippets/concurrency/prime_count_pyo3/prime_count_pyo3.py"),
        str(limit),
        str(n),
    ],
}


def spread(values: list[float], unit: str, digits: int) -> dict[str, float]:
    """Median, lowest and highest of a series of timings, keyed by unit (`median_s`, ...)."""
    return {
        f"{name}_{unit}": round(f(values), digits)
        for name, f in (("median", statistics.median), ("min", min), ("max", max))
    }


def cpu_benchmark(args) -> dict:
    workers = sorted({1, 2, os.cpu_count() or 1})
    times: dict[str, dict[str, list]] = {v: {str(n): [] for n in workers} for v in CPU_VARIANTS}
    expected = None
    for i in range(args.runs):
        for variant, command in CPU_VARIANTS.items():
            for n in workers:
                print(f"run {i + 1}/{args.runs}: {variant}, {n} worker(s)", file=sys.stderr)
                started = time.perf_counter()
                out = subprocess.run(
                    command(args.limit, n), capture_output=True, text=True, check=True
                ).stdout
                times[variant][str(n)].append(time.perf_counter() - started)
                if expected not in (None, out):
                    raise RuntimeError(f"{variant} printed {out!r}, others {expected!r}")
                expected = out
    results = {
        variant: {n: spread(t, "s", 3) for n, t in by_n.items()} for variant, by_n in times.items()
    }
    for by_n in results.values():
        one = by_n["1"]["median_s"]
        for figures in by_n.values():
            figures["speedup_vs_1"] = round(one / figures["median_s"], 2)
    return {
        "settings": {
            "limit": args.limit,
            "runs": args.runs,
            "workers": workers,
            "rust_profile": TARGET.name,
        },
        "answer": expected.strip(),
        "results": results,
        "runs": times,
    }


BLOCKING = ROOT / "snippets/concurrency/blocking_in_async"
BLOCKING_VARIANTS = {
    "Rust (tokio, one thread)": [RustBinary("blocking_in_async"), "--timings"],
    "Python (asyncio)": [PYTHON, str(BLOCKING / "blocking_in_async.py"), "--timings"],
}
LATE = re.compile(r"(?m)^(.+): .*\n  heartbeat late by ([\d.]+) ms$")


def blocking_benchmark(args) -> dict:
    """How late a 50 ms timer fires while another task runs a 300 ms job, in each way the
    samples run it."""
    late: dict[str, dict[str, list[float]]] = {v: {} for v in BLOCKING_VARIANTS}
    for i in range(args.runs):
        for variant, command in BLOCKING_VARIANTS.items():
            print(f"run {i + 1}/{args.runs}: blocking, {variant}", file=sys.stderr)
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
            for how, ms in LATE.findall(out):
                late[variant].setdefault(how, []).append(float(ms))
    return {
        "settings": {
            "runs": args.runs,
            "heartbeat_ms": 50,
            "job_ms": 300,
            "rust_profile": TARGET.name,
        },
        "results": {
            variant: {how: spread(t, "ms", 1) for how, t in by_how.items()}
            for variant, by_how in late.items()
        },
        "runs": late,
    }


FRAMEWORKS = ROOT / "snippets/frameworks"
FRAMEWORK_SAMPLES = {
    "Axum": "users_axum",
    "Actix-web": "users_actix",
    "Rocket": "users_rocket",
    "Warp": "users_warp",
    "FastAPI (uvicorn)": "users_fastapi",
    "Flask (gunicorn gthread)": "users_flask",
}
ENDPOINTS = {
    "GET /users/1": ("/users/1", None),
    "POST /users": ("/users", ROOT / "tools/wrk_post_user.lua"),
}


def is_rust(sample: str) -> bool:
    return (FRAMEWORKS / sample / "Cargo.toml").is_file()


def framework_argv(sample: str) -> list[str]:
    if is_rust(sample):
        return [str(TARGET / sample)]
    return [SamplePython(FRAMEWORKS / sample), str(FRAMEWORKS / sample / f"{sample}.py")]


def create_ann(port: int) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/users",
        data=b'{"name": "Ann", "email": "ann@example.com"}',
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 201


def startup_ms(argv: list[str]) -> float:
    """From starting the process to its first answered request (GET /health)."""
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        [*argv, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                    return round(1e3 * (time.monotonic() - started), 1)
            except OSError:
                if process.poll() is not None or time.monotonic() - started > 30:
                    raise RuntimeError(f"{argv} did not start serving") from None
                time.sleep(0.005)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=10)


def clean_release_build(sample: str) -> tuple[float, float]:
    """Seconds of `cargo build --release` of one sample from an empty target directory (crates
    already downloaded), on every core, and the MiB of the binary it made: built alone, with
    only its own crate features (built beside other samples, cargo unifies theirs in)."""
    target = support.TARGET / "bench/clean-build"
    shutil.rmtree(target, ignore_errors=True)
    started = time.monotonic()
    subprocess.run(
        ["cargo", "build", "--locked", "--release", "-q", "-p", sample],
        cwd=ROOT,
        env={**os.environ, "CARGO_TARGET_DIR": str(target)},
        check=True,
    )
    took = time.monotonic() - started
    size = (target / "release" / sample).stat().st_size
    shutil.rmtree(target, ignore_errors=True)
    return round(took, 1), round(size / 2**20, 1)


def installed_mib(sample: str) -> float:
    """What `pip install -r requirements.txt` puts on disk for a Python sample (installed
    again only when the file changed)."""
    site = support.TARGET / "bench" / f"site-{sample}"
    requirements = (FRAMEWORKS / sample / "requirements.txt").read_text()
    stamp = site.with_name(f"{site.name}.requirements.txt")
    if not stamp.is_file() or stamp.read_text() != requirements:
        shutil.rmtree(site, ignore_errors=True)
        subprocess.run(
            [PYTHON, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--target"]
            + [str(site), "-r", str(FRAMEWORKS / sample / "requirements.txt")],
            check=True,
        )
        stamp.write_text(requirements)
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    return round(size / 2**20, 1)


def frameworks_benchmark(args) -> dict:
    cpus = len(os.sched_getaffinity(0))
    server_cpus, wrk_cpus = ("0", "1") if cpus >= 2 else (None, None)
    runs = {name: {endpoint: [] for endpoint in ENDPOINTS} for name in FRAMEWORK_SAMPLES}
    startups: dict[str, list[float]] = {name: [] for name in FRAMEWORK_SAMPLES}
    for i in range(args.runs):
        for name, sample in FRAMEWORK_SAMPLES.items():  # interleaved, as for HTTP
            argv = framework_argv(sample)
            setup = {
                "argv": argv,
                "server_cpus": server_cpus,
                "wrk_cpus": wrk_cpus,
                "ready": ("/health", None),
            }
            for endpoint, request in ENDPOINTS.items():
                print(f"run {i + 1}/{args.runs}: {name}, {endpoint}", file=sys.stderr)
                runs[name][endpoint].append(
                    http_run(
                        setup, args.seconds, args.warmup, args.connections, request, create_ann
                    )
                )
            startups[name].append(startup_ms(pinned(server_cpus, argv)))
    results = {}
    for name, sample in FRAMEWORK_SAMPLES.items():
        figures = {endpoint: summarise(r) for endpoint, r in runs[name].items()}
        figures["startup_ms"] = statistics.median(startups[name])
        if is_rust(sample):
            binary = TARGET / sample
            figures["binary_mib"] = round(binary.stat().st_size / 2**20, 1)
            if not args.skip_clean_builds:
                print(f"clean release build: {sample}", file=sys.stderr)
                seconds, alone = clean_release_build(sample)
                figures["clean_release_build_s"] = seconds
                figures["binary_mib"] = alone
        else:
            figures["installed_mib"] = installed_mib(sample)
        results[name] = figures
    return {
        "settings": {
            "seconds": args.seconds,
            "warmup_seconds": args.warmup,
            "connections": args.connections,
            "runs": args.runs,
            "rust_profile": TARGET.name,
            "cpus": {"server": server_cpus, "wrk": wrk_cpus},
        },
        "results": results,
        "runs": runs,
        "startup_ms": startups,
    }


# --- machine, charts, tables -----------------------------------------------------------


def machine() -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    os_name = platform.platform()
    with contextlib.suppress(OSError):
        os_name = re.search(r'PRETTY_NAME="(.*)"', pathlib.Path("/etc/os-release").read_text())[1]
    return {
        "date": datetime.date.today().isoformat(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "os": os_name,
        "python": platform.python_version(),
        "rustc": subprocess.run(
            ["rustc", "--version"], capture_output=True, text=True
        ).stdout.strip(),
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True)
        .stdout.split("[")[0]
        .strip(),
    }


def bar_chart(title: str, bars: list[tuple[str, float, float, float]], unit: str) -> str:
    """A horizontal bar chart as SVG: (label, median, min, max) per bar, whiskers min-max."""
    width, label_w, row, top = 760, 300, 28, 40
    height = top + row * len(bars) + 30
    scale = (width - label_w - 120) / max(b[3] for b in bars)
    parts = [
        # The <title> names the chart (an aria-label is not valid on a standalone SVG).
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        'font-family="sans-serif" font-size="13">',
        f"<title>{title}</title>",
        "<style>text{fill:#333}rect{fill:#3f51b5}line{stroke:#333}"
        "@media (prefers-color-scheme:dark)"
        "{text{fill:#ddd}rect{fill:#7ea6f0}line{stroke:#ddd}}</style>",
        f'<text x="0" y="20" font-weight="bold">{title}</text>',
    ]
    for i, (label, median, low, high) in enumerate(bars):
        y = top + i * row
        parts += [
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">{label}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{median * scale:.1f}" height="{row - 10}"/>',
            f'<line x1="{label_w + low * scale:.1f}" x2="{label_w + high * scale:.1f}" '
            f'y1="{y + 12}" y2="{y + 12}" stroke-width="2"/>',
            f'<text x="{label_w + high * scale + 6:.1f}" y="{y + 15}">'
            + (f"{median:,.0f}" if median >= 100 else f"{median:.2f}")
            + f" {unit}</text>",
        ]
    parts.append(
        f'<text x="{label_w}" y="{height - 8}" font-size="11">Bars: median; '
        "lines: lowest to highest run.</text></svg>"
    )
    return "\n".join(parts) + "\n"


def describe(m: dict) -> str:
    return (
        f"Measured on {m['date']}: {m['cpu']}, {m['cores']} cores, {m['os']}, "
        f"Python {m['python']}, {m['rustc']}, {m['wrk']}."
    )


def http_table(data: dict, m: dict) -> str:
    s = data["settings"]
    one = data["cpus"][RUST]
    pins = (
        f"each server on CPU {one['server']}, wrk on CPU {one['wrk']}"
        if one["server"] is not None
        else "nothing pinned (one CPU)"
    )
    for name, cpus in data["cpus"].items():
        if cpus["server"] != one["server"]:
            pins += f"; {name} on CPUs {cpus['server']}, wrk on {cpus['wrk'] or 'any CPU'}"
    lines = [
        describe(m) + f" wrk: {s['connections']} connections, 1 thread, {s['warmup_seconds']:g} s "
        f"warm-up, {s['seconds']:g} s measured, {s['runs']} runs per server, interleaved; {pins}.",
        "",
        "| Server | Requests/s, median (min–max) | vs Rust | Server CPU per request | p50 latency "
        "| p99 latency | Errors | Peak RSS | Server CPU | wrk CPU |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, x in data["servers"].items():
        r = x["requests_per_s"]
        lines.append(
            f"| {name} | {r['median']:,} ({r['min']:,}–{r['max']:,}) | {x['ratio_to_rust']:.2f} | "
            f"{x['server_cpu_us_per_request']:.1f} µs | {x['latency_p50_ms']:.2f} ms | "
            f"{x['latency_p99_ms']:.2f} ms | {x['errors']} | {x['peak_rss_mib']:.1f} MiB | "
            f"{x['server_cpu_percent']} % | {x['wrk_cpu_percent']} % |"
        )
    spread = max(x["spread_percent"] for x in data["servers"].values())
    lines += ["", f"Largest spread between runs of one server: {spread:.1f} % of its median."]
    lines += ["", saturation(data["servers"][RUST])]
    return "\n".join(lines)


def saturation(rust: dict) -> str:
    """What limited the Rust figure, worded from the CPU each side used."""
    server, load = rust["server_cpu_percent"], rust["wrk_cpu_percent"]
    said = (
        f"While it loaded the Rust server, wrk used {load} % of its core "
        f"and the server {server} % of its own"
    )
    if load >= 90 and server >= 90:
        return (
            said + ": both were near their limit, so requests/s says little about which one "
            "set the pace. The CPU time per request compares the servers without that doubt."
        )
    if load >= 90:
        return (
            said + ": the load generator was the limit, so the Rust figure, and every ratio "
            "to it, understates Rust's lead. Compare the CPU time per request instead."
        )
    return said + "."


def cpu_table(data: dict, m: dict) -> str:
    s = data["settings"]
    workers = [str(n) for n in s["workers"]]
    lines = [
        describe(m) + f" Counting primes below {s['limit']:,} ({data['answer'].split()[0]} of "
        f"them), wall time including start-up, median of {s['runs']} runs.",
        "",
        "| Version | " + " | ".join(f"{n} worker{'s' if n != '1' else ''}" for n in workers) + " |",
        "| --- |" + " --- |" * len(workers),
    ]
    for variant, by_n in data["results"].items():
        cells = [f"{by_n[n]['median_s']:.2f} s (×{by_n[n]['speedup_vs_1']:.2f})" for n in workers]
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


BLOCKING_ROWS = [
    "A job that waits, called in the task",
    "A job that waits, moved to a thread",
    "A job that computes, moved to a thread",
]


def blocking_table(data: dict, m: dict) -> str:
    """Rows by position: each sample prints its three modes in BLOCKING_ROWS' order (its
    test checks the order of what they print)."""
    s = data["settings"]
    variants = list(data["results"])
    for variant in variants:
        assert len(data["results"][variant]) == len(BLOCKING_ROWS), variant
    lines = [
        describe(m) + f" How late a {s['heartbeat_ms']} ms timer fired while another task "
        f"ran a {s['job_ms']} ms job; median of {s['runs']} runs, lowest to highest "
        "in brackets.",
        "",
        "| Job | " + " | ".join(variants) + " |",
        "| --- |" + " --- |" * len(variants),
    ]
    for i, row in enumerate(BLOCKING_ROWS):
        cells = []
        for variant in variants:
            f = list(data["results"][variant].values())[i]
            cells.append(f"{f['median_ms']:.1f} ms ({f['min_ms']:.1f}–{f['max_ms']:.1f})")
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def frameworks_table(data: dict, m: dict) -> str:
    s = data["settings"]
    lines = [
        describe(m) + f" Each service on one core, wrk on the other, {s['connections']} "
        f"connections, {s['seconds']} s per run after {s['warmup_seconds']} s of warm-up, median "
        f"of {s['runs']} interleaved runs; Rust built in {s['rust_profile']} mode; each Python "
        "service from a virtual environment of its own requirements.txt (FastAPI's names "
        "uvicorn[standard], which brings httptools and uvloop). GET reads one stored user; "
        "every POST stores a new one.",
        "",
        "| Framework | GET req/s | POST req/s | CPU per GET | p99 GET | Peak RSS (GET) "
        "| Start-up | Clean release build | On disk |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, f in data["results"].items():
        get, post = f["GET /users/1"], f["POST /users"]
        build = f"{f['clean_release_build_s']:.0f} s" if "clean_release_build_s" in f else "–"
        disk = (
            f"{f['binary_mib']:.1f} MiB binary"
            if "binary_mib" in f
            else f"{f['installed_mib']:.1f} MiB installed"
        )
        lines.append(
            f"| {name} | {get['requests_per_s']['median']:,} "
            f"| {post['requests_per_s']['median']:,} "
            f"| {get['server_cpu_us_per_request']:.0f} µs | {get['latency_p99_ms']:.1f} ms "
            f"| {get['peak_rss_mib']:.1f} MiB | {f['startup_ms']:.0f} ms | {build} | {disk} |"
        )
    errors = sum(e["errors"] for f in data["results"].values() for e in list(f.values())[:2])
    lines += ["", f"Errors (socket errors and non-2xx answers) in all runs: {errors}."]
    return "\n".join(lines)


def names(items: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def alike(runs: dict[str, dict]) -> list[str]:
    """The services that cannot be told apart from the fastest: a median within 10 % of its
    median, and runs that overlap its runs."""
    fastest = max(runs, key=lambda n: runs[n]["median"])
    top = runs[fastest]
    return [
        name
        for name, r in runs.items()
        if r["median"] >= 0.9 * top["median"] and r["max"] >= top["min"]
    ]


def frameworks_summary(data: dict) -> str:
    """What the Frameworks run shows, worded from its figures, so that no sentence can stop
    holding when the figures change (tests/performance/test_published.py re-renders it)."""
    results = data["results"]
    rust = [n for n, f in results.items() if "binary_mib" in f]
    python = [n for n in results if n not in rust]
    sentences = []
    for endpoint, verb in (("GET /users/1", "GET"), ("POST /users", "POST")):
        runs = {n: results[n][endpoint]["requests_per_s"] for n in rust}
        group = alike(runs)
        fastest = max(runs, key=lambda n: runs[n]["median"])
        if len(group) > 1:
            low = min(runs[n]["median"] for n in group)
            gap = 100 * (runs[fastest]["median"] / low - 1)
            sentences.append(
                f"For {verb}, {names(group)} cannot be told apart: their medians are within "
                f"{gap:.0f} % of each other and their runs overlap."
            )
        else:
            second = max((n for n in rust if n != fastest), key=lambda n: runs[n]["median"])
            gap = 100 * (runs[fastest]["median"] / runs[second]["median"] - 1)
            overlap = runs[second]["max"] >= runs[fastest]["min"]
            sentences.append(
                f"For {verb}, {fastest} leads: {gap:.0f} % more requests than {second}, "
                + ("though some of their runs overlap." if overlap else "and no run overlaps.")
            )
    get = {n: results[n]["GET /users/1"] for n in results}
    slowest = min(rust, key=lambda n: get[n]["requests_per_s"]["median"])
    best = max(rust, key=lambda n: get[n]["requests_per_s"]["median"])
    share = get[slowest]["requests_per_s"]["median"] / get[best]["requests_per_s"]["median"]
    cpu = get[slowest]["server_cpu_us_per_request"] / get[best]["server_cpu_us_per_request"]
    sentences.append(
        f"{slowest} served {100 * share:.0f} % of {best}'s GET requests on the same core, and "
        f"spent {cpu:.1f} times its CPU time on each."
    )

    def times(python_name: str) -> str:
        base = get[python_name]["requests_per_s"]["median"]
        ratios = [get[n]["requests_per_s"]["median"] / base for n in rust]
        return f"{min(ratios):.1f} to {max(ratios):.1f} times {python_name.split()[0]}'s"

    rss = [get[n]["peak_rss_mib"] for n in rust]
    py_rss = [get[n]["peak_rss_mib"] for n in python]
    sentences.append(
        "Each Rust service served "
        + " and ".join(times(n) for n in python)
        + f" GET requests, using {min(rss):.1f} to {max(rss):.1f} MiB of memory at its peak, "
        f"where the Python services used {min(py_rss):.1f} to {max(py_rss):.1f} MiB."
    )
    start = {n: results[n]["startup_ms"] for n in results}
    sentences.append(
        f"A Rust service answered its first request {min(start[n] for n in rust):.0f} to "
        f"{max(start[n] for n in rust):.0f} ms after it was started, a Python one after "
        f"{min(start[n] for n in python):.0f} to {max(start[n] for n in python):.0f} ms."
    )
    builds = {n: results[n].get("clean_release_build_s") for n in rust}
    if all(b is not None for b in builds.values()):
        order = sorted(rust, key=lambda n: builds[n])
        sentences.append(
            "The price is paid at build time: a release build from an empty target directory "
            "took "
            + names([f"{builds[n]:.0f} s for {n}" for n in order])
            + f", on {data['machine']['cores']} cores."
        )
    text = " ".join(sentences)
    return "What they show, on this machine: " + text[0].lower() + text[1:]


def choosing_cell(figures: dict) -> str:
    """A Rust framework's figures as the Choosing table of the Frameworks page quotes them
    (tests/frameworks/test_measured.py checks the page against docs/benchmarks)."""
    get = figures["GET /users/1"]["requests_per_s"]["median"]
    post = figures["POST /users"]["requests_per_s"]["median"]
    build = figures.get("clean_release_build_s")
    return f"{get:,} GET/s, {post:,} POST/s; {figures['binary_mib']:.1f} MiB binary" + (
        f", {build:.0f} s clean build" if build is not None else ""
    )


def markers(name: str) -> tuple[str, str]:
    # The start marker says what writes the table, for whoever meets it in a page.
    return f"<!-- bench:{name}:start, written by ./dev bench -->", f"<!-- bench:{name}:end -->"


def compare_with_previous(path: pathlib.Path, http: dict) -> str:
    """How far each ratio to Rust moved since the results this run replaces."""
    if not path.is_file():
        return "No previous results to compare with."
    before = json.loads(path.read_text())
    lines = [f"Ratios to Rust compared with the previous results ({before['machine']['date']}):"]
    for name, now in http["servers"].items():
        if name in before["servers"]:
            old = before["servers"][name]["ratio_to_rust"]
            change = 100 * (now["ratio_to_rust"] / old - 1) if old else float("nan")
            now["ratio_change_vs_previous_percent"] = round(change, 1)
            lines.append(f"- {name}: {old:.3f} -> {now['ratio_to_rust']:.3f} ({change:+.1f} %)")
    return "\n".join(lines)


def main() -> int:
    from tools import benchmark_databases, benchmark_instructions  # they build on this one

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="measured wrk run per server")
    parser.add_argument(
        "--warmup", type=int, default=2, help="wrk warm-up per server run (0: none)"
    )
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=1_000_000, help="primes below this")
    parser.add_argument("--edits", type=int, default=10, help="saves of each kind (reload)")
    parser.add_argument(
        "--workers",
        type=int,
        help="also run Rust and uvicorn on this many "
        "cores (default: all but one, on machines with 4 cores or more)",
    )
    parser.add_argument(
        "--only",
        choices=PARTS,
        action="append",
        help="run only this part (may be given more than once; default: all)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="debug builds of the Rust samples, as the tests build them (the smoke test)",
    )
    parser.add_argument(
        "--skip-clean-builds",
        action="store_true",
        help="leave out the clean release build of each Rust framework (minutes each)",
    )
    parser.add_argument("--out", type=pathlib.Path, default=OUT, help="where the data goes")
    parser.add_argument("--no-pages", action="store_true", help="leave docs/*.md alone")
    args = parser.parse_args()

    parts = args.only or PARTS
    global TARGET
    TARGET = support.TARGET / ("debug" if args.debug else "release")
    # The Rust samples of the parts this run measures.
    needs = {
        "http": ["hello_server"],
        "cpu": ["prime_count"],
        "blocking": ["blocking_in_async"],
        "frameworks": [sample for sample in FRAMEWORK_SAMPLES.values() if is_rust(sample)],
        "databases": [
            s for s in benchmark_databases.SAMPLES.values() if benchmark_databases.is_rust(s)
        ],
        "instructions": ["hello_server"]
        + [sample for sample in FRAMEWORK_SAMPLES.values() if is_rust(sample)],
        "reload": [],
    }
    samples = [sample for part in parts for sample in needs[part]]
    if args.debug or samples:
        subprocess.run(
            # Debug: the whole workspace, as the tests build it (other packages would unify
            # crate features differently, and cargo would build those crates again).
            ["cargo", "build", "--locked", "-q"]
            + (
                ["--workspace"]
                if args.debug
                else ["--release", *(f"--package={s}" for s in samples)]
            ),
            cwd=ROOT,
            check=True,
        )
    if "cpu" in parts:
        built = support.TARGET / "bench" / ("fast_primes-debug" if args.debug else "fast_primes")
        site = pyo3_module.build(built, release=not args.debug)
        os.environ["PYTHONPATH"] = str(site)
    m = machine()
    args.out.mkdir(parents=True, exist_ok=True)
    printed, pages = [], []
    if "http" in parts:
        http = {"machine": m, **http_benchmark(args)}
        changes = compare_with_previous(args.out / "http.json", http)
        (args.out / "http.json").write_text(json.dumps(http, indent=2) + "\n")
        (args.out / "http.svg").write_text(
            bar_chart(
                "Requests per second, one server core (higher is better)",
                [
                    (
                        name,
                        x["requests_per_s"]["median"],
                        x["requests_per_s"]["min"],
                        x["requests_per_s"]["max"],
                    )
                    for name, x in http["servers"].items()
                ],
                "req/s",
            )
        )
        printed += [http_table(http, m), changes]
        pages.append(("performance", "http", http_table(http, m)))
    if "cpu" in parts:
        cpu = {"machine": m, **cpu_benchmark(args)}
        (args.out / "cpu.json").write_text(json.dumps(cpu, indent=2) + "\n")
        (args.out / "cpu.svg").write_text(
            bar_chart(
                f"Counting primes below {args.limit:,}: wall time (lower is better)",
                [
                    (
                        f"{variant}, {n} worker{'s' if n != '1' else ''}",
                        f["median_s"],
                        f["min_s"],
                        f["max_s"],
                    )
                    for variant, by_n in cpu["results"].items()
                    for n, f in by_n.items()
                ],
                "s",
            )
        )
        printed.append(cpu_table(cpu, m))
        pages.append(("concurrency", "cpu", cpu_table(cpu, m)))
    if "blocking" in parts:
        blocking = {"machine": m, **blocking_benchmark(args)}
        (args.out / "blocking.json").write_text(json.dumps(blocking, indent=2) + "\n")
        printed.append(blocking_table(blocking, m))
        pages.append(("concurrency", "blocking", blocking_table(blocking, m)))
    if "frameworks" in parts:
        frameworks = {"machine": m, **frameworks_benchmark(args)}
        (args.out / "frameworks.json").write_text(json.dumps(frameworks, indent=2) + "\n")
        (args.out / "frameworks.svg").write_text(
            bar_chart(
                "Requests per second, one server core (higher is better)",
                [
                    (
                        f"{name}, {endpoint.split()[0]}",
                        f[endpoint]["requests_per_s"]["median"],
                        f[endpoint]["requests_per_s"]["min"],
                        f[endpoint]["requests_per_s"]["max"],
                    )
                    for name, f in frameworks["results"].items()
                    for endpoint in ENDPOINTS
                ],
                "req/s",
            )
        )
        printed.append(frameworks_table(frameworks, m))
        pages.append(("frameworks", "frameworks", frameworks_table(frameworks, m)))
        pages.append(("frameworks", "frameworks-summary", frameworks_summary(frameworks)))
    if "databases" in parts:
        databases = {"machine": m, **benchmark_databases.run(args, TARGET)}
        frameworks_json = args.out / "frameworks.json"
        if frameworks_json.is_file():  # kept with the run, so the table depends on it alone
            databases["in_memory"] = benchmark_databases.in_memory(
                json.loads(frameworks_json.read_text())
            )
        (args.out / "databases.json").write_text(json.dumps(databases, indent=2) + "\n")
        (args.out / "databases.svg").write_text(benchmark_databases.chart(databases))
        text = benchmark_databases.table(databases)
        printed.append(text)
        pages.append(("databases", "databases", text))
    if "instructions" in parts:
        instructions = {"machine": m, **benchmark_instructions.run(args)}
        (args.out / "instructions.json").write_text(json.dumps(instructions, indent=2) + "\n")
        text = benchmark_instructions.table(instructions)
        printed.append(text)
        pages.append(("performance", "instructions", text))
    if "reload" in parts:  # its table is README's, not a page's
        reload = author_loop.run(args.edits, m, args.out)
        printed.append(reload)
    print(*printed, sep="\n\n")
    if not args.no_pages:
        for page, name, text in pages:
            replace_between(ROOT / "docs" / f"{page}.md", *markers(name), text)
        if "reload" in parts:
            replace_between(ROOT / "README.md", *markers("reload"), reload)
    return 0


if __name__ == "__main__":
    # Run as `python -m tools.benchmark`, this file is `__main__`, and the parts that import
    # `tools.benchmark` would get a second copy of it, whose TARGET main() never sets.
    from tools import benchmark

    sys.exit(benchmark.main())
