"""databases: the Databases page's five services on one PostgreSQL.

TechEmpower's shapes of load, one implementation at a time, runs interleaved: one query per
request (`GET /users/{random id}`), twenty one after another (`GET /queries?ids=...`), a list
of twenty (`GET /users?limit=20`) and an insert (`POST /users`), over a table of
`USERS` users. On two cores the service runs on one, PostgreSQL and wrk share the other;
the CPU time each side spends per request is the figure that does not depend on that split.
Each Python service runs in a virtual environment made from its own requirements.txt.
"""

import contextlib
import datetime
import json
import os
import pathlib
import sys
import time
import uuid
from typing import Literal

import psutil
import pydantic

from harness.support import ROOT
from tools import postgres
from tools.benchmark import processes, render, wrk
from tools.benchmark.schema import Cpus, Document, Profile, Strict

DATABASES = ROOT / "snippets/databases"
SAMPLES = {
    "Axum + SQLx": "users_sqlx",
    "Axum + tokio-postgres": "users_postgres",
    "FastAPI + asyncpg": "users_asyncpg",
    "FastAPI + SQLAlchemy": "users_sqlalchemy",
    "Flask + psycopg": "users_psycopg",
}
# The same implementation family in memory, on the Frameworks page (frameworks.json).
IN_MEMORY = {
    "Axum + SQLx": "Axum",
    "Axum + tokio-postgres": "Axum",
    "FastAPI + asyncpg": "FastAPI (uvicorn)",
    "FastAPI + SQLAlchemy": "FastAPI (uvicorn)",
    "Flask + psycopg": "Flask (gunicorn gthread)",
}
LOADS = {
    "single query": "single",
    "20 queries": "queries",
    "list of 20": "list",
    "insert": "insert",
}
USERS = 10_000
SCRIPT = pathlib.Path(__file__).with_name("wrk_databases.lua")
READY = ("/health", None)


def is_rust(sample: str) -> bool:
    return (DATABASES / sample / "Cargo.toml").is_file()


RUST_SAMPLES = tuple(sample for sample in SAMPLES.values() if is_rust(sample))


def argv(sample: str, target: pathlib.Path) -> list:
    """The Rust binary in `target`, or the script run by a Python that has only its
    requirements.txt."""
    if is_rust(sample):
        return [target / sample]
    python = processes.SamplePython(DATABASES / sample)
    return [python, str(DATABASES / sample / f"{sample}.py")]


def backends(server: psutil.Process) -> list[psutil.Process]:
    with contextlib.suppress(psutil.NoSuchProcess):
        return [server, *server.children(recursive=True)]
    return []


def connections(processes: list[psutil.Process]) -> int:
    """Client backends of the `app` database ("postgres: postgres app 127.0.0.1(...)")."""
    count = 0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            count += " app 127.0.0.1(" in " ".join(process.cmdline())
    return count


def one_run(setup: wrk.Setup, pg: postgres.Postgres, load: str, args) -> dict:
    """One loaded run of one service; the service is started anew for it, once the last
    one's connections are gone."""
    database = psutil.Process(pg.process.pid)
    deadline = time.monotonic() + 10
    while connections(backends(database)) and time.monotonic() < deadline:
        time.sleep(0.05)
    env = {**os.environ, "DATABASE_URL": pg.url}
    with processes.server(setup.argv, setup.server_cpus, setup.ready, env=env) as server:

        def request() -> tuple:
            """A tag of its own for every wrk run: its inserts' emails are new."""
            return ("/", SCRIPT, (load, str(USERS), uuid.uuid4().hex[:12]))

        if args.warmup:
            wrk.wrk(server.port, args.warmup, args.connections, setup.wrk_cpus, *request())
        service_before = processes.cpu_by_pid(processes.tree(server.process))
        database_before = processes.cpu_by_pid(backends(database))
        peak, used = [0], [0]

        def sample() -> None:
            peak.append(processes.rss(processes.tree(server.process)))
            used.append(connections(backends(database)))

        (output, wrk_cpu), wall = processes.while_running(
            lambda: wrk.wrk(
                server.port, args.seconds, args.connections, setup.wrk_cpus, *request()
            ),
            sample,
        )
        figures = wrk.parse_wrk(output)
        service_cpu = processes.cpu_since(service_before, processes.tree(server.process))
        database_cpu = processes.cpu_since(database_before, backends(database))
    requests = max(figures["requests"], 1)
    figures.update(
        peak_rss_mib=round(max(peak) / 2**20, 1),
        server_cpu_percent=round(100 * service_cpu / wall),
        server_cpu_us_per_request=round(1e6 * service_cpu / requests, 2),
        database_cpu_us_per_request=round(1e6 * database_cpu / requests, 2),
        database_cpu_percent=round(100 * database_cpu / wall),
        wrk_cpu_percent=round(100 * wrk_cpu / wall),
        connections=max(used),
    )
    if load == "insert":  # the same table for every run
        pg.psql(f"DELETE FROM users WHERE id > {USERS}")
        pg.psql("VACUUM users")
    return figures


def run(args, target: pathlib.Path) -> dict:
    service_cpus, other_cpus = processes.server_and_load_cpus()
    commands = {name: argv(sample, target) for name, sample in SAMPLES.items()}
    runs = {name: {load: [] for load in LOADS} for name in SAMPLES}
    pinned = None if other_cpus is None else {int(other_cpus)}
    with postgres.running(fsync=True, cpus=pinned) as pg:
        pg.psql(
            "INSERT INTO users (name, email) SELECT 'user ' || n, 'user' || n || '@example.com'"
            f" FROM generate_series(1, {USERS}) n"
        )
        pg.psql("VACUUM ANALYZE users")  # not in the transaction of the line above
        version = pg.psql("SHOW server_version").strip()
        for i in range(args.runs):
            for name in SAMPLES:
                setup = wrk.Setup(commands[name], service_cpus, other_cpus, READY)
                for label, load in LOADS.items():
                    print(f"run {i + 1}/{args.runs}: {name}, {label}", file=sys.stderr)
                    runs[name][label].append(one_run(setup, pg, load, args))
    results = {}
    for name in SAMPLES:
        results[name] = {}
        for label, load_runs in runs[name].items():
            figures = wrk.summarise(load_runs)
            for key in ("database_cpu_us_per_request", "database_cpu_percent"):
                figures[key] = wrk.median(load_runs, key, 2)
            figures["connections"] = max(r["connections"] for r in load_runs)
            results[name][label] = figures
    for label in LOADS:
        fastest = max(results[n][label]["requests_per_s"]["median"] for n in SAMPLES)
        for name in SAMPLES:
            median = results[name][label]["requests_per_s"]["median"]
            results[name][label]["ratio_to_fastest"] = round(median / fastest, 3)
    data = {
        "settings": {
            **wrk.load_settings(args, target),
            "users": USERS,
            "pool_size": 10,
            "postgresql": version,
            "cpus": {"service": service_cpus, "postgresql_and_wrk": other_cpus},
        },
        "results": results,
        "runs": runs,
    }
    frameworks = args.out / "frameworks.json"
    if frameworks.is_file():  # kept with the run, so the table depends on it alone
        data["in_memory"] = in_memory(json.loads(frameworks.read_text()))
    return data


# --- the page's table, chart and summary ------------------------------------------------


def in_memory(frameworks: dict) -> dict:
    """The Frameworks run's figures for the families measured here, and when it ran."""
    return {
        "date": frameworks["machine"]["date"],
        "results": {
            family: {
                endpoint: figures[endpoint]["requests_per_s"]["median"]
                for endpoint in ("GET /users/1", "POST /users")
            }
            for family, figures in frameworks["results"].items()
            if family in IN_MEMORY.values()
        },
    }


def table(data: dict) -> str:
    """The page's tables and summary: a function of databases.json alone."""
    s, m = data["settings"], data["machine"]
    cpus = s["cpus"]
    where = (
        f"each service on CPU {cpus['service']}, PostgreSQL and wrk on CPU "
        f"{cpus['postgresql_and_wrk']}"
        if cpus["service"] is not None
        else "nothing pinned (one CPU)"
    )
    lines = [
        render.describe(m) + f" PostgreSQL {s['postgresql']} (fsync on), {s['users']:,} "
        f"users, a pool of {s['pool_size']} connections in every service; {where}. wrk: "
        f"{s['connections']} connections, {s['warmup_seconds']:g} s warm-up, "
        f"{s['seconds']:g} s measured, median of {s['runs']} interleaved runs; Rust built in "
        f"{s['rust_profile']} mode."
        + (
            f" The in-memory figures are from the Frameworks page's run of "
            f"{data['in_memory']['date']}"
            + (
                ", an earlier run the same day."
                if data["in_memory"]["date"] == m["date"]
                else ", another day."
            )
            if "in_memory" in data
            else ""
        ),
        "",
        "| Service | " + " | ".join(f"{label} req/s" for label in LOADS) + " |",
        "| --- |" + " --- |" * len(LOADS),
    ]
    for name, by_load in data["results"].items():
        cells = [
            f"{f['requests_per_s']['median']:,} ({f['ratio_to_fastest']:.2f})"
            for f in by_load.values()
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "In brackets: the ratio to the fastest of the five for that load.",
        "",
        "| Service | CPU per single query: service | PostgreSQL | p99, single query "
        "| CPU per 20 queries: service | PostgreSQL | Peak RSS | Connections used |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, by_load in data["results"].items():
        one, twenty = by_load["single query"], by_load["20 queries"]
        rss = max(f["peak_rss_mib"] for f in by_load.values())
        used = max(f["connections"] for f in by_load.values())
        lines.append(
            f"| {name} | {one['server_cpu_us_per_request']:.0f} µs "
            f"| {one['database_cpu_us_per_request']:.0f} µs | {one['latency_p99_ms']:.1f} ms "
            f"| {twenty['server_cpu_us_per_request']:.0f} µs "
            f"| {twenty['database_cpu_us_per_request']:.0f} µs | {rss:.1f} MiB | {used} |"
        )
    errors = sum(f["errors"] for by_load in data["results"].values() for f in by_load.values())
    spread, name, label = max(
        (f["spread_percent"], name, label)
        for name, by_load in data["results"].items()
        for label, f in by_load.items()
    )
    lines += [
        "",
        f"Errors (socket errors and non-2xx answers) in all runs: {errors}. Largest spread "
        f"between the runs of one service: {spread:.1f} % of its median ({name}, {label}).",
    ]
    if "in_memory" in data:
        lines += ["", *beside_memory(data)]
    lines += ["", summary(data)]
    return "\n".join(lines)


def beside_memory(data: dict) -> list[str]:
    """Each service beside its framework with the users in memory (the Frameworks run)."""
    memory = data["in_memory"]
    lines = [
        "| Service | In memory (Frameworks page) | GET req/s there | Single query req/s here "
        "| POST req/s there | Insert req/s here |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, by_load in data["results"].items():
        family = memory["results"][IN_MEMORY[name]]
        lines.append(
            f"| {name} | {IN_MEMORY[name]} | {family['GET /users/1']:,} "
            f"| {by_load['single query']['requests_per_s']['median']:,} "
            f"| {family['POST /users']:,} | {by_load['insert']['requests_per_s']['median']:,} |"
        )
    lines += [
        "",
        "The in-memory figures come from the Frameworks page's run. Figures move from one run to "
        "the next, and more between days, so compare them loosely.",
    ]
    return lines


def figures(data: dict) -> dict:
    """The ratios the pages state, computed once, from the data alone."""
    results = data["results"]

    def rps(name: str, label: str) -> float:
        return results[name][label]["requests_per_s"]["median"]

    def side(rust: bool, label: str) -> list[str]:
        names = [n for n in results if is_rust(SAMPLES[n]) == rust]
        return sorted(names, key=lambda n: rps(n, label), reverse=True)

    found = {}
    for label in LOADS:
        rust, python = side(True, label), side(False, label)
        found[label] = {
            "fastest_rust": rust[0],
            "fastest_python": python[0],
            "rust_over_python": rps(rust[0], label) / rps(python[0], label),
            "slowest_rust_over_fastest_python": rps(rust[-1], label) / rps(python[0], label),
            "within_rust": rps(rust[0], label) / rps(rust[-1], label),
            "within_python": rps(python[0], label) / rps(python[-1], label),
        }
    if "in_memory" in data:
        memory = data["in_memory"]["results"]
        found["in_memory_axum_over_fastapi"] = (
            memory["Axum"]["GET /users/1"] / memory["FastAPI (uvicorn)"]["GET /users/1"]
        )
    single = {n: r["single query"]["database_cpu_us_per_request"] for n, r in results.items()}
    found["database_cpu_single"] = {
        "least": min(single, key=single.get),
        "most": max(single, key=single.get),
        **single,
    }
    return found


def times(ratio: float) -> str:
    """6.9 times, 13 times: no false precision past ten."""
    return f"{ratio:.1f} times" if ratio < 10 else f"{ratio:.0f} times"


def summary(data: dict) -> str:
    """The page's reading of the figures, worded from them (the tests re-render it)."""
    f = figures(data)
    lines = [
        "| Load | Fastest Rust ÷ fastest Python | Slower Rust ÷ fastest Python "
        "| Between the Rust services | Between the Python services |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label in LOADS:
        x = f[label]
        lines.append(
            f"| {label} | {x['rust_over_python']:.1f} ({x['fastest_rust']} ÷ "
            f"{x['fastest_python']}) | {x['slowest_rust_over_fastest_python']:.1f} "
            f"| {x['within_rust']:.1f} | {x['within_python']:.1f} |"
        )
    said = []
    if "in_memory_axum_over_fastapi" in f:
        said.append(
            f"With the users in memory, on the Frameworks page, Axum answered "
            f"{times(f['in_memory_axum_over_fastapi'])} as many GETs as FastAPI."
        )
    cpu = f["database_cpu_single"]
    least, most = cpu["least"], cpu["most"]
    said.append(
        f"PostgreSQL's own CPU time per single-query request ranged from {cpu[least]:.0f} µs "
        f"({least}) to {cpu[most]:.0f} µs ({most})."
    )
    return "\n".join(lines) + "\n\n" + " ".join(said)


def chart(data: dict) -> str:
    return render.bar_chart(
        "Requests per second on PostgreSQL (higher is better)",
        render.rates(
            {
                f"{name}, {label}": f
                for name, by_load in data["results"].items()
                for label, f in by_load.items()
                if label in ("single query", "20 queries")
            }
        ),
        "req/s",
    )


# --- docs/benchmarks/databases.json ------------------------------------------------------------

Name = Literal[tuple(SAMPLES)]
Load = Literal[tuple(LOADS)]
Family = Literal[tuple(dict.fromkeys(IN_MEMORY.values()))]


class Pins(Strict):
    service: Cpus
    postgresql_and_wrk: Cpus


class Settings(Strict):
    seconds: int
    warmup_seconds: int
    connections: int
    runs: int
    rust_profile: Profile
    users: int
    pool_size: int
    postgresql: str
    cpus: Pins


class Run(wrk.Run):
    database_cpu_us_per_request: float
    database_cpu_percent: int
    connections: int


class Figures(wrk.Summary):
    database_cpu_us_per_request: float
    database_cpu_percent: float  # a median: between two runs' for an even number of runs
    connections: int
    ratio_to_fastest: float


class InMemoryFigures(Strict):
    get: int = pydantic.Field(alias="GET /users/1")
    post: int = pydantic.Field(alias="POST /users")


class InMemory(Strict):
    date: datetime.date
    results: dict[Family, InMemoryFigures]


class Databases(Document):
    settings: Settings
    results: dict[Name, dict[Load, Figures]]
    runs: dict[Name, dict[Load, list[Run]]]
    in_memory: InMemory | None = None  # without a frameworks.json beside it

    @pydantic.model_validator(mode="after")
    def every_load(self):
        for name, by_load in [*self.results.items(), *self.runs.items()]:
            if list(by_load) != list(LOADS):
                raise ValueError(f"{name}: loads {list(by_load)}, not {list(LOADS)}")
        return self
