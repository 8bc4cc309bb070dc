"""http: the Performance page's "Hello, world!" servers under wrk, each alone on a core, runs
interleaved; its table, chart and the comparison with the run it replaces."""

import os
import pathlib
import sys

import pydantic

from harness.support import ROOT
from tools.benchmark import processes, render, wrk
from tools.benchmark.processes import PYTHON, SamplePython
from tools.benchmark.schema import Cpus, Document, Profile, Strict

HELLO = ROOT / "snippets/performance/hello_server"
STDLIB = ROOT / "snippets/performance/stdlib_server"
# The standard-library sample as a newcomer would first write it: Nagle's algorithm left on.
WITH_NAGLE = (
    f"import sys; sys.path.insert(0, {str(STDLIB)!r}); import stdlib_server as s; "
    "s.Hello.disable_nagle_algorithm = False; s.main()"
)
RUST = "Rust: hyper 1.x (the sample)"
FAST_PYTHON = "Python: uvicorn + httptools + uvloop"


def uvicorn(http: str, loop: str) -> list:
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


def servers(target: pathlib.Path) -> dict[str, list]:
    """Each server's command, the port to be appended; the Rust sample's binary in `target`."""
    return {
        RUST: [target / "hello_server"],
        FAST_PYTHON: uvicorn("httptools", "uvloop"),
        "Python: uvicorn + h11 + asyncio": uvicorn("h11", "asyncio"),
        "Python: granian (Rust server, ASGI app)": [
            SamplePython(HELLO, processes.pinned_requirement("granian")),
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


def setups(target: pathlib.Path, workers: int) -> dict[str, wrk.Setup]:
    """Each server on one core, wrk on another; with `workers` > 1, also the Rust sample and
    uvicorn on that many cores (uvicorn --workers), wrk on the next core if there is one."""
    commands = servers(target)
    server_cpus, wrk_cpus = processes.server_and_load_cpus()
    found = {name: wrk.Setup(argv, server_cpus, wrk_cpus) for name, argv in commands.items()}
    if workers > 1:
        many = f"0-{workers - 1}"
        load = str(workers) if workers < len(os.sched_getaffinity(0)) else None
        found[f"Rust: hyper 1.x, {workers} cores"] = wrk.Setup(commands[RUST], many, load)
        fast = commands[FAST_PYTHON]
        found[f"{FAST_PYTHON}, {workers} workers"] = wrk.Setup(
            [*fast[:-1], "--workers", str(workers), fast[-1]], many, load
        )
    return found


def default_workers() -> int:
    """All cores but one (wrk's) on machines with four or more; else one."""
    cpus = len(os.sched_getaffinity(0))
    return cpus - 1 if cpus >= 4 else 1


def run(args, target: pathlib.Path) -> dict:
    workers = args.workers if args.workers is not None else default_workers()
    variants = setups(target, workers)
    runs: dict[str, list] = {name: [] for name in variants}
    for i in range(args.runs):
        for name, setup in variants.items():  # interleaved: drift in the load hits all alike
            print(f"run {i + 1}/{args.runs}: {name}", file=sys.stderr)
            runs[name].append(wrk.loaded_run(setup, args.seconds, args.warmup, args.connections))
    summary = {name: wrk.summarise(r) for name, r in runs.items()}
    rust = summary[RUST]["requests_per_s"]["median"]
    for s in summary.values():
        s["ratio_to_rust"] = round(s["requests_per_s"]["median"] / rust, 3)
    return {
        "settings": {
            **wrk.load_settings(args, target),
            "wrk_threads": 1,
        },
        "cpus": {
            name: {"server": v.server_cpus, "wrk": v.wrk_cpus} for name, v in variants.items()
        },
        "servers": summary,
        "runs": runs,
    }


def compare(before: dict, now: dict) -> str:
    """How far each ratio to Rust moved since the results this run replaces (`before`); each
    server that ran in both gets its `ratio_change_vs_previous_percent`."""
    lines = [f"Ratios to Rust compared with the previous results ({before['machine']['date']}):"]
    for name, figures in now["servers"].items():
        if name in before["servers"]:
            old = before["servers"][name]["ratio_to_rust"]
            change = 100 * (figures["ratio_to_rust"] / old - 1) if old else float("nan")
            figures["ratio_change_vs_previous_percent"] = round(change, 1)
            lines.append(f"- {name}: {old:.3f} -> {figures['ratio_to_rust']:.3f} ({change:+.1f} %)")
    return "\n".join(lines)


# --- the page's table and chart -----------------------------------------------------------


def table(data: dict) -> str:
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
        render.describe(data["machine"])
        + f" wrk: {s['connections']} connections, 1 thread, {s['warmup_seconds']:g} s "
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


def chart(data: dict) -> str:
    return render.bar_chart(
        "Requests per second, one server core (higher is better)",
        render.rates(data["servers"]),
        "req/s",
    )


# --- docs/benchmarks/http.json ------------------------------------------------------------


class Settings(Strict):
    seconds: int
    warmup_seconds: int
    connections: int
    runs: int
    wrk_threads: int
    rust_profile: Profile | None = None  # the published run (2026-11-25) predates it


class Pins(Strict):
    server: Cpus
    wrk: Cpus


class Server(wrk.Summary):
    ratio_to_rust: float
    # Set by compare(): absent for a server the previous run did not have.
    ratio_change_vs_previous_percent: float | None = None


class Http(Document):
    settings: Settings
    cpus: dict[str, Pins]
    servers: dict[str, Server]
    runs: dict[str, list[wrk.Run]]

    @pydantic.model_validator(mode="after")
    def same_servers_throughout(self):
        if RUST not in self.servers:
            raise ValueError(f"no {RUST!r}: every ratio is to it")
        if not list(self.cpus) == list(self.servers) == list(self.runs):
            raise ValueError("cpus, servers and runs must name the same servers, in one order")
        return self
