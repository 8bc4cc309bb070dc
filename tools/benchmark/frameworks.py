"""frameworks: the Frameworks page's users API in each framework, alone on a core with wrk on
the other: GET /users/1 and POST /users, runs interleaved, start-up time, size on disk and,
for Rust, a release build from an empty target directory; the page's table, summary, chart
and the figures its Choosing table quotes."""

import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from typing import Literal

import pydantic

from harness import support
from harness.support import ROOT
from tools.benchmark import processes, render, wrk
from tools.benchmark.processes import PYTHON, SamplePython
from tools.benchmark.schema import Cpus, Document, Profile, Strict

FRAMEWORKS = ROOT / "snippets/frameworks"
SAMPLES = {
    "Axum": "users_axum",
    "Actix-web": "users_actix",
    "Rocket": "users_rocket",
    "Warp": "users_warp",
    "FastAPI (uvicorn)": "users_fastapi",
    "Flask (gunicorn gthread)": "users_flask",
}
ENDPOINTS = {
    "GET /users/1": ("/users/1", None),
    "POST /users": ("/users", pathlib.Path(__file__).with_name("wrk_post_user.lua")),
}
READY = ("/health", None)


def is_rust(sample: str) -> bool:
    return (FRAMEWORKS / sample / "Cargo.toml").is_file()


RUST_SAMPLES = tuple(sample for sample in SAMPLES.values() if is_rust(sample))


def argv(sample: str, target: pathlib.Path) -> list:
    """The service's command (the port is appended): its binary in `target`, or its script
    run by a Python that has only its requirements.txt."""
    if is_rust(sample):
        return [target / sample]
    return [SamplePython(FRAMEWORKS / sample), str(FRAMEWORKS / sample / f"{sample}.py")]


def create_ann(port: int) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/users",
        data=b'{"name": "Ann", "email": "ann@example.com"}',
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 201


def startup_ms(argv: list, cpus: str | None) -> float:
    """From starting the process to its first answered request (GET /health)."""
    with processes.server(argv, cpus, READY, poll=0.005) as server:
        return round(1e3 * server.seconds, 1)


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


def run(args, target: pathlib.Path) -> dict:
    server_cpus, wrk_cpus = processes.server_and_load_cpus()
    runs = {name: {endpoint: [] for endpoint in ENDPOINTS} for name in SAMPLES}
    startups: dict[str, list[float]] = {name: [] for name in SAMPLES}
    for i in range(args.runs):
        for name, sample in SAMPLES.items():  # interleaved, as for HTTP
            command = argv(sample, target)
            setup = wrk.Setup(command, server_cpus, wrk_cpus, READY)
            for endpoint, request in ENDPOINTS.items():
                print(f"run {i + 1}/{args.runs}: {name}, {endpoint}", file=sys.stderr)
                runs[name][endpoint].append(
                    wrk.loaded_run(
                        setup, args.seconds, args.warmup, args.connections, request, create_ann
                    )
                )
            startups[name].append(startup_ms(command, server_cpus))
    results = {}
    for name, sample in SAMPLES.items():
        figures = {endpoint: wrk.summarise(r) for endpoint, r in runs[name].items()}
        figures["startup_ms"] = statistics.median(startups[name])
        if is_rust(sample):
            figures["binary_mib"] = round((target / sample).stat().st_size / 2**20, 1)
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
            **wrk.load_settings(args, target),
            "cpus": {"server": server_cpus, "wrk": wrk_cpus},
        },
        "results": results,
        "runs": runs,
        "startup_ms": startups,
    }


# --- the page's table, summary and chart -------------------------------------------------------


def table(data: dict) -> str:
    s = data["settings"]
    lines = [
        render.describe(data["machine"])
        + f" Each service on one core, wrk on the other, {s['connections']} "
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


def summary(data: dict) -> str:
    """What the Frameworks run shows, worded from its figures, so that no sentence can stop
    holding when the figures change (tests/performance/test_published.py re-renders it)."""
    results = data["results"]
    rust = [n for n, f in results.items() if "binary_mib" in f]
    python = [n for n in results if n not in rust]
    items = []
    for endpoint, verb in (("GET /users/1", "GET"), ("POST /users", "POST")):
        runs = {n: results[n][endpoint]["requests_per_s"] for n in rust}
        group = alike(runs)
        fastest = max(runs, key=lambda n: runs[n]["median"])
        if len(group) > 1:
            low = min(runs[n]["median"] for n in group)
            gap = 100 * (runs[fastest]["median"] / low - 1)
            items.append(
                f"For {verb}, {render.names(group)} cannot be told apart. Their medians are "
                f"within {gap:.0f} % of each other, and their runs overlap."
            )
        else:
            second = max((n for n in rust if n != fastest), key=lambda n: runs[n]["median"])
            gap = 100 * (runs[fastest]["median"] / runs[second]["median"] - 1)
            overlap = runs[second]["max"] >= runs[fastest]["min"]
            items.append(
                f"For {verb}, {fastest} leads, with {gap:.0f} % more requests than {second}. "
                + ("Some of their runs overlap." if overlap else "No run of theirs overlaps.")
            )
    get = {n: results[n]["GET /users/1"] for n in results}
    slowest = min(rust, key=lambda n: get[n]["requests_per_s"]["median"])
    best = max(rust, key=lambda n: get[n]["requests_per_s"]["median"])
    share = get[slowest]["requests_per_s"]["median"] / get[best]["requests_per_s"]["median"]
    cpu = get[slowest]["server_cpu_us_per_request"] / get[best]["server_cpu_us_per_request"]
    items.append(
        f"{slowest} served {100 * share:.0f} % of {best}'s GET requests on the same core. It "
        f"spent {cpu:.1f} times {best}'s CPU time on each."
    )

    def times(python_name: str) -> str:
        base = get[python_name]["requests_per_s"]["median"]
        ratios = [get[n]["requests_per_s"]["median"] / base for n in rust]
        return f"{min(ratios):.1f} to {max(ratios):.1f} times {python_name.split()[0]}'s"

    rss = [get[n]["peak_rss_mib"] for n in rust]
    py_rss = [get[n]["peak_rss_mib"] for n in python]
    items.append(
        "Each Rust service served "
        + ", and ".join(times(n) for n in python)
        + f" GET requests. A Rust service used {min(rss):.1f} to {max(rss):.1f} MiB of memory "
        f"at its peak; the Python services used {min(py_rss):.1f} to {max(py_rss):.1f} MiB."
    )
    start = {n: results[n]["startup_ms"] for n in results}
    items.append(
        f"A Rust service answered its first request {min(start[n] for n in rust):.0f} to "
        f"{max(start[n] for n in rust):.0f} ms after it started. A Python one took "
        f"{min(start[n] for n in python):.0f} to {max(start[n] for n in python):.0f} ms."
    )
    builds = {n: results[n].get("clean_release_build_s") for n in rust}
    if all(b is not None for b in builds.values()):
        order = sorted(rust, key=lambda n: builds[n])
        items.append(
            "The price is paid at build time. A release build from an empty target directory "
            "took "
            + render.names([f"{builds[n]:.0f} s for {n}" for n in order])
            + f", on {data['machine']['cores']} cores."
        )
    return "What the run shows:\n\n" + "\n".join(f"- {item}" for item in items)


def choosing_cell(figures: dict) -> str:
    """A Rust framework's figures as the Choosing table of the Frameworks page quotes them
    (tests/frameworks/test_measured.py checks the page against docs/benchmarks)."""
    get = figures["GET /users/1"]["requests_per_s"]["median"]
    post = figures["POST /users"]["requests_per_s"]["median"]
    build = figures.get("clean_release_build_s")
    return f"{get:,} GET/s, {post:,} POST/s; {figures['binary_mib']:.1f} MiB binary" + (
        f", {build:.0f} s clean build" if build is not None else ""
    )


def chart(data: dict) -> str:
    return render.bar_chart(
        "Requests per second, one server core (higher is better)",
        render.rates(
            {
                f"{name}, {endpoint.split()[0]}": f[endpoint]
                for name, f in data["results"].items()
                for endpoint in ENDPOINTS
            }
        ),
        "req/s",
    )


# --- docs/benchmarks/frameworks.json -----------------------------------------------------------

Name = Literal[tuple(SAMPLES)]
Endpoint = Literal[tuple(ENDPOINTS)]


class Pins(Strict):
    server: Cpus
    wrk: Cpus


class Settings(Strict):
    seconds: int
    warmup_seconds: int
    connections: int
    runs: int
    rust_profile: Profile
    cpus: Pins


class Service(Strict):
    get: wrk.Summary = pydantic.Field(alias="GET /users/1")
    post: wrk.Summary = pydantic.Field(alias="POST /users")
    startup_ms: float


class RustService(Service):
    binary_mib: float
    clean_release_build_s: float | None = None  # left out with --skip-clean-builds


class PythonService(Service):
    installed_mib: float


class Frameworks(Document):
    settings: Settings
    results: dict[Name, RustService | PythonService]
    runs: dict[Name, dict[Endpoint, list[wrk.Run]]]
    startup_ms: dict[Name, list[float]]

    @pydantic.model_validator(mode="after")
    def sizes_by_language(self):
        for name, service in self.results.items():
            if isinstance(service, RustService) != is_rust(SAMPLES[name]):
                raise ValueError(f"{name}: a binary's size for Rust, what pip installs for Python")
        return self
