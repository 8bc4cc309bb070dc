"""wrk, the load generator: running it, reading what it prints, one loaded run of a server,
and the figures of several runs (medians, spreads)."""

import dataclasses
import os
import pathlib
import re
import statistics
import subprocess
from collections.abc import Callable
from typing import Literal

from tools.benchmark import processes
from tools.benchmark.schema import Strict

# wrk's latency units, in milliseconds.
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def parse_wrk(text: str) -> dict:
    """Requests/s, requests, p50 and p99 latency (ms) and errors of `wrk --latency`'s output;
    errors are its socket errors (connect, read, write, timeout) and non-2xx/3xx answers."""

    def find(pattern: str, what: str) -> tuple[str, ...]:
        found = re.search(pattern, text, re.M)
        if not found:
            raise ValueError(f"no {what} in wrk's output:\n{text}")
        return found.groups()

    def latency(pct: str) -> float:
        value, unit = find(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", f"{pct}% latency (--latency)")
        return float(value) * UNITS[unit]

    socket_errors = {
        kind: int(n) for kind, n in re.findall(r"(connect|read|write|timeout) (\d+)", text)
    }
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = sum(socket_errors.values()) + (int(non_2xx[1]) if non_2xx else 0)
    return {
        "requests_per_s": float(find(r"Requests/sec:\s+([\d.]+)", "requests/s")[0]),
        "requests": int(find(r"(\d+) requests in", "request count")[0]),
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
    argv = processes.pinned(
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


@dataclasses.dataclass(frozen=True)
class Setup:
    """A server as a run loads it: its command (the port is appended), the CPUs it and wrk
    run on, and what it answers once it serves."""

    argv: list
    server_cpus: str | None
    wrk_cpus: str | None
    ready: tuple[str, bytes | None] = processes.HELLO_READY
    env: dict[str, str] | None = None  # added to the environment
    stdout: pathlib.Path | None = None  # where what it prints goes (else nowhere)


def loaded_run(
    setup: Setup,
    seconds: float,
    warmup: float,
    connections: int,
    request: tuple[str, pathlib.Path | None] = ("/", None),
    prepare: Callable[[int], None] = lambda port: None,
) -> dict:
    """One loaded run, the server started for it: `request` is the path and wrk's Lua script;
    `prepare(port)` runs before the load (to create the user the GET asks for)."""
    with processes.server(
        setup.argv, setup.server_cpus, setup.ready, env=setup.env, stdout=setup.stdout
    ) as server:
        prepare(server.port)
        if warmup:
            wrk(server.port, warmup, connections, setup.wrk_cpus, *request)
        cpu_before = processes.cpu_by_pid(processes.tree(server.process))
        peak = [processes.rss(processes.tree(server.process))]
        (output, wrk_cpu), wall = processes.while_running(
            lambda: wrk(server.port, seconds, connections, setup.wrk_cpus, *request),
            # the memory of the whole tree, sampled while wrk runs
            lambda: peak.append(processes.rss(processes.tree(server.process))),
        )
        figures = parse_wrk(output)
        server_cpu = processes.cpu_since(cpu_before, processes.tree(server.process))
    figures.update(
        peak_rss_mib=round(max(peak) / 2**20, 1),
        server_cpu_percent=round(100 * server_cpu / wall),
        # Unlike requests/s, this does not depend on how fast wrk can send.
        server_cpu_us_per_request=round(1e6 * server_cpu / max(figures["requests"], 1), 2),
        wrk_cpu_percent=round(100 * wrk_cpu / wall),
    )
    return figures


def load_settings(args, target: pathlib.Path) -> dict:
    """The settings every wrk-loaded part records, so that its table can say how it was run."""
    return {
        "seconds": args.seconds,
        "warmup_seconds": args.warmup,
        "connections": args.connections,
        "runs": args.runs,
        "rust_profile": target.name,
    }


def median(runs: list[dict], key: str, digits: int | None = None) -> float:
    """The median of one figure over runs, rounded (to an int for `digits` None)."""
    return round(statistics.median(r[key] for r in runs), digits)


def summarise(runs: list[dict]) -> dict:
    """Loaded runs of one server: requests/s (median, lowest, highest) and how far apart the
    runs were, medians of the latencies and CPU figures, the errors of all runs, and the
    highest peak of memory."""
    rps = [r["requests_per_s"] for r in runs]
    if statistics.median(rps) == 0:
        raise RuntimeError(f"no request answered in most of {len(runs)} runs: {rps} requests/s")
    return {
        "requests_per_s": {
            "median": round(statistics.median(rps)),
            "min": round(min(rps)),
            "max": round(max(rps)),
        },
        "spread_percent": round(100 * (max(rps) - min(rps)) / statistics.median(rps), 1),
        "latency_p50_ms": median(runs, "latency_p50_ms", 3),
        "latency_p99_ms": median(runs, "latency_p99_ms", 3),
        "errors": sum(r["errors"] for r in runs),
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
        "server_cpu_percent": median(runs, "server_cpu_percent"),
        "server_cpu_us_per_request": median(runs, "server_cpu_us_per_request", 2),
        "wrk_cpu_percent": median(runs, "wrk_cpu_percent"),
    }


def spread(values: list[float], unit: str, digits: int) -> dict[str, float]:
    """Median, lowest and highest of a series of timings, keyed by unit (`median_s`, ...)."""
    return {
        f"{name}_{unit}": round(f(values), digits)
        for name, f in (("median", statistics.median), ("min", min), ("max", max))
    }


# --- the shapes of loaded_run() and summarise() in the JSON --------------------------------


class Run(Strict):
    requests_per_s: float
    requests: int
    latency_p50_ms: float
    latency_p99_ms: float
    errors: int
    socket_errors: dict[Literal["connect", "read", "write", "timeout"], int]
    peak_rss_mib: float
    server_cpu_percent: int
    server_cpu_us_per_request: float
    wrk_cpu_percent: int


class Rate(Strict):
    median: int
    min: int
    max: int


class Summary(Strict):
    requests_per_s: Rate
    spread_percent: float
    latency_p50_ms: float
    latency_p99_ms: float
    errors: int
    peak_rss_mib: float
    server_cpu_percent: int
    server_cpu_us_per_request: float
    wrk_cpu_percent: int
