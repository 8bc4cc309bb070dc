"""The reader prose that states measured figures, worded from the published runs: each page's
"In short" box and every sentence that compares or bounds figures. A page holds each between
markers (render.markers); `./dev bench` and `./dev test --update-outputs` write them, and
tests/performance/test_published.py fails on any word that differs from what the JSON renders,
so a sentence cannot go on saying what its figures no longer show."""

import dataclasses
import functools
import json
import math
import pathlib
from collections.abc import Callable

from harness.support import ROOT
from tools.benchmark import databases, production, render
from tools.benchmark.databases import times

OUT = ROOT / "docs/benchmarks"


class Published:
    """The parts' recorded runs by name, from `folder` (a run's --out), else the published."""

    def __init__(self, folder: pathlib.Path = OUT):
        self.folder = folder

    @functools.cache  # noqa: B019 (one instance per rendering)
    def __getitem__(self, name: str) -> dict:
        path = self.folder / f"{name}.json"
        return json.loads((path if path.is_file() else OUT / f"{name}.json").read_text())


@dataclasses.dataclass(frozen=True)
class Finding:
    page: pathlib.Path  # from the repository root
    name: str
    render: Callable[[Published], str]

    @property
    def markers(self) -> tuple[str, str]:
        return render.markers(self.name)


ORDINALS = [
    "",
    "",
    "half",
    "a third",
    "a quarter",
    "a fifth",
    "a sixth",
    "a seventh",
    "an eighth",
    "a ninth",
    "a tenth",
    "an eleventh",
    "a twelfth",
    "a thirteenth",
    "a fourteenth",
    "a fifteenth",
    "a sixteenth",
    "a seventeenth",
    "an eighteenth",
    "a nineteenth",
    "a twentieth",
]


def fraction(share: float) -> str:
    """A share below one in words a reader keeps: 'a fifth', 'a thirteenth', else '38 %'."""
    n = round(1 / share)
    if 2 <= n < len(ORDINALS) and abs(share * n - 1) < 0.08:
        return ORDINALS[n]
    return f"{100 * share:.0f} %"


# The loads of the Databases page as a sentence names them.
LOAD_WORDS = {
    "single query": "one query per request",
    "20 queries": "twenty queries per request",
    "list of 20": "a list of twenty users",
    "insert": "an insert",
}


def at_least(ratio: float) -> str:
    """A lower bound as the pages say it, rounded down so that it stays true."""
    return (
        f"{math.floor(ratio * 10) / 10:.1f} times" if ratio < 10 else f"{math.floor(ratio)} times"
    )


def up(value: float, digits: int = 0) -> str:
    """An upper bound, rounded up so that it stays true."""
    scale = 10**digits
    return f"{math.ceil(value * scale) / scale:.{digits}f}"


def down(value: float, digits: int = 0) -> str:
    """A lower bound, rounded down so that it stays true."""
    scale = 10**digits
    return f"{math.floor(value * scale) / scale:.{digits}f}"


def box(title: str, items: list[str], kind: str = "abstract") -> str:
    """An admonition, open, with a list: Material's "In short" box."""
    lines = [f'!!! {kind} "{title}"', ""]
    for item in items:
        lines.append(f"    - {item}")
    return "\n".join(lines)


# --- what each part's figures say -----------------------------------------------------------


def rps(figures: dict) -> float:
    return figures["requests_per_s"]["median"]


RUST_HELLO = "Rust: hyper 1.x (the sample)"
FAST_UVICORN = "Python: uvicorn + httptools + uvloop"
PLAIN_UVICORN = "Python: uvicorn + h11 + asyncio"
GRANIAN = "Python: granian (Rust server, ASGI app)"
PYO3 = "Python threads calling Rust (PyO3)"


def hello(p: Published) -> dict:
    servers = p["http"]["servers"]
    rust, fast = servers[RUST_HELLO], servers[FAST_UVICORN]
    return {
        "rust_rps": rps(rust),
        "over_uvicorn": rps(rust) / rps(fast),
        "cpu_rust": rust["server_cpu_us_per_request"],
        "cpu_uvicorn": fast["server_cpu_us_per_request"],
        "cpu_ratio": fast["server_cpu_us_per_request"] / rust["server_cpu_us_per_request"],
        "rss_rust": rust["peak_rss_mib"],
        "rss_uvicorn": fast["peak_rss_mib"],
    }


def primes(p: Published) -> dict:
    results = p["cpu"]["results"]
    one = {name: by_n["1"]["median_s"] for name, by_n in results.items()}
    two = {name: by_n["2"]["median_s"] for name, by_n in results.items()}
    speedup = {name: by_n["2"]["speedup_vs_1"] for name, by_n in results.items()}
    return {
        "one": one,
        "two": two,
        "speedup": speedup,
        "rust_over_threads": one["Python threads"] / one["Rust threads"],
        "pyo3_over_threads": one["Python threads"] / one[PYO3],
        "limit": p["cpu"]["settings"]["limit"],
    }


def gap(p: Published) -> dict:
    f = databases.figures(p["databases"])
    return {
        "one": f["single query"]["rust_over_python"],
        "twenty": f["20 queries"]["rust_over_python"],
        "memory": f.get("in_memory_axum_over_fastapi"),
        "figures": f,
    }


def database_gap(p: Published) -> str:
    """What the Databases page measured, in two sentences: the in-memory baseline named for
    what it compares (Axum and FastAPI), then the database's loads."""
    g = gap(p)
    memory = (
        f"With the users in memory, Axum answered {times(g['memory'])} as many requests as "
        "FastAPI. "
        if g["memory"]
        else ""
    )
    return (
        f"{memory}With one PostgreSQL query per request, the faster Rust service answered "
        f"{times(g['one'])} as many as the faster Python one; with twenty queries, "
        f"{times(g['twenty'])}."
    )


def service_cpu(p: Published, load: str = "20 queries") -> dict:
    """Per request at `load`: the least Python over the most Rust, for the service's CPU
    alone and with PostgreSQL's added."""
    results = p["databases"]["results"]

    def rust(name: str) -> bool:
        return databases.is_rust(databases.SAMPLES[name])

    own = {n: r[load]["server_cpu_us_per_request"] for n, r in results.items()}
    both = {n: own[n] + r[load]["database_cpu_us_per_request"] for n, r in results.items()}

    def ratio(cpu: dict) -> float:
        return min(c for n, c in cpu.items() if not rust(n)) / max(
            c for n, c in cpu.items() if rust(n)
        )

    return {"own": ratio(own), "both": ratio(both)}


def driver_ratios(p: Published) -> dict:
    """Per load: raw asyncpg over SQLAlchemy, tokio-postgres over SQLx (their lowest)."""
    results = p["databases"]["results"]

    def least(a: str, b: str) -> float:
        return min(rps(results[a][load]) / rps(results[b][load]) for load in databases.LOADS)

    return {
        "asyncpg_over_sqlalchemy": least("FastAPI + asyncpg", "FastAPI + SQLAlchemy"),
        "postgres_over_sqlx": least("Axum + tokio-postgres", "Axum + SQLx"),
        "flask_over_sqlalchemy": least("Flask + psycopg", "FastAPI + SQLAlchemy"),
    }


def frameworks_range(p: Published) -> dict:
    results = p["frameworks"]["results"]
    rust = [n for n, f in results.items() if "binary_mib" in f]
    get = {n: rps(results[n]["GET /users/1"]) for n in results}
    fastapi = get["FastAPI (uvicorn)"]
    return {
        "low": min(get[n] for n in rust) / fastapi,
        "high": max(get[n] for n in rust) / fastapi,
        "rss_rust": max(results[n]["GET /users/1"]["peak_rss_mib"] for n in rust),
        "rss_python": min(
            results[n]["GET /users/1"]["peak_rss_mib"] for n in results if n not in rust
        ),
        "start_rust": max(results[n]["startup_ms"] for n in rust),
        "start_python": min(results[n]["startup_ms"] for n in results if n not in rust),
    }


def test_cycle(p: Published) -> dict:
    results = p["testcycle"]["results"]
    rust, python = results[production.RUST], results[production.PYTHON]
    return {
        "rust_s": rust["total"]["median_s"],
        "python_s": python["total"]["median_s"],
        "ratio": rust["total"]["median_s"] / python["total"]["median_s"],
        "build_share": rust["build_median_s"] / (rust["build_median_s"] + rust["test_median_s"]),
    }


def log_cost(p: Published) -> dict:
    rust, python = (p["logging"]["results"][name] for name in production.SERVICES)

    def share(f: dict) -> float:
        return f["extra_cpu_us_per_request"] / f["logged"]["server_cpu_us_per_request"]

    return {
        "rust_us": rust["extra_cpu_us_per_request"],
        "python_us": python["extra_cpu_us_per_request"],
        "ratio": python["extra_cpu_us_per_request"] / rust["extra_cpu_us_per_request"],
        "rust_throughput": rust["throughput_ratio"],
        "python_throughput": python["throughput_ratio"],
        "rust_share": share(rust),
        "python_share": share(python),
    }


# --- the blocks -------------------------------------------------------------------------------


def home(p: Published) -> str:
    h, c, t, log = hello(p), primes(p), test_cycle(p), log_cost(p)
    return box(
        "The short answer",
        [
            f"**A service that computes or parses.** Rust does the same work for a fraction of "
            f"the CPU. A Rust HTTP server answered {times(h['over_uvicorn'])} as many requests "
            f"as uvicorn on one core. A Rust loop counted primes {times(c['rust_over_threads'])} "
            f"as fast as Python, and a second core made it {times(c['speedup']['Rust threads'])} "
            "as fast again. "
            "[Performance](performance.md), [Concurrency](concurrency.md)",
            "**A CRUD service on PostgreSQL.** The database narrows the gap but does not close "
            f"it. {database_gap(p)} [Databases](databases.md)",
            f"**One hot function.** You can keep the Python service and move only that function "
            f"into Rust with PyO3. Called from Python, it counted primes "
            f"{times(c['pyo3_over_threads'])} as fast as pure Python, and two Python threads "
            f"calling it were {times(c['speedup'][PYO3])} as fast as one. "
            "[Concurrency](concurrency.md#the-middle-way-a-rust-function-called-from-python)",
            f"**What your team gives up.** An OpenAPI document written for you, validation that "
            f"reports every bad field, and quick test runs: an edit took "
            f"{times(t['ratio'])} as long to test in Rust. In return, the compiler refuses "
            f"unhandled errors, and a log line costs {fraction(1 / log['ratio'])} of Python's CPU "
            "time. "
            "[In production](production.md)",
        ],
    )


def performance(p: Published) -> str:
    h = hello(p)
    return box(
        "In short",
        [
            f"On one core, the Rust server answered {times(h['over_uvicorn'])} as many requests "
            f"per second as uvicorn with its fast parser and event loop.",
            f"It spent {h['cpu_rust']:.0f} µs of CPU per request, against "
            f"{h['cpu_uvicorn']:.0f} µs for uvicorn, and used {h['rss_rust']:.1f} MiB of memory "
            f"against {h['rss_uvicorn']:.1f} MiB.",
            "That is a hello-world: a real handler adds its own work in both languages, as the "
            f"[Databases](databases.md) page measured. {database_gap(p)}",
            "Both servers survive bad input, slow clients and running out of file "
            "descriptors, and stop cleanly on Ctrl+C.",
        ],
    )


def concurrency(p: Published) -> str:
    c = primes(p)
    s = c["speedup"]
    return box(
        "In short",
        [
            "Safe Rust rejects data races when it compiles. Deadlocks and other race "
            "conditions are still yours to avoid, as in Python.",
            f"Counting primes below {c['limit']:,}, a second Rust thread made the job "
            f"{times(s['Rust threads'])} as fast. "
            + (
                "A second Python thread made it no faster: the GIL lets one thread run Python "
                "at a time."
                if s["Python threads"] < 1.05
                else f"A second Python thread made it {times(s['Python threads'])} as fast."
            ),
            f"Python processes do use the second core: two were {times(s['Python processes'])} "
            "as fast as one. So does a Rust function called from Python threads, since it "
            f"releases the GIL: {times(s[PYO3])} as fast.",
            "A blocking call inside async code stalls every task on that thread, in both "
            "languages. Move it to a thread: `spawn_blocking` or `asyncio.to_thread`.",
        ],
    )


def frameworks(p: Published) -> str:
    f = frameworks_range(p)
    return box(
        "In short",
        [
            "Axum, Actix-web, Rocket and Warp all run on tokio, and all four serve the same "
            "JSON API with the same answers, checked by one request suite.",
            f"On one core, each served {down(f['low'])} to {up(f['high'])} times FastAPI's GET "
            f"requests, with at most {up(f['rss_rust'], 1)} MiB of memory against at least "
            f"{down(f['rss_python'], 1)} MiB for Python.",
            f"A Rust service answered its first request within {up(f['start_rust'])} ms of "
            f"starting; a Python one took at least {down(f['start_python'])} ms.",
            "Pick Axum by default; the [Choosing](#choosing) table says when another fits better.",
        ],
    )


def databases_box(p: Published) -> str:
    g, cpu, d = gap(p), service_cpu(p, "20 queries"), driver_ratios(p)
    memory = (
        f" With the users in memory, Axum had answered {times(g['memory'])} as many as FastAPI."
        if g["memory"]
        else ""
    )
    return box(
        "In short",
        [
            f"With one PostgreSQL query per request, the fastest Rust service answered "
            f"{times(g['one'])} as many requests as the fastest Python one.{memory}",
            f"With twenty queries per request, the lead fell to {times(g['twenty'])}. Each "
            f"Python service still spent at least {at_least(cpu['own'])} the CPU time of "
            "either Rust service per request.",
            f"The library matters too. Raw asyncpg served at least "
            f"{at_least(d['asyncpg_over_sqlalchemy'])} as many requests as SQLAlchemy's ORM, "
            "in every load.",
            "All five services answer 503 within 3 seconds while PostgreSQL is down, and "
            "serve again on their own once it is back.",
        ],
    )


def production_box(p: Published) -> str:
    t, log = test_cycle(p), log_cost(p)
    return box(
        "In short",
        [
            "**You give up** an OpenAPI document written from the code, a test client that "
            "needs no extra crate, validation that reports every bad field at once, and "
            f"tracebacks. An edit took {t['rust_s']:.1f} s to test in Rust against "
            f"{t['python_s']:.2f} s in Python, {fraction(t['build_share'])} of it building.",
            "**You get** errors in the types, which the compiler will not let a caller "
            f"ignore, and logs at {fraction(1 / log['ratio'])} of Python's CPU cost: a JSON "
            f"log line cost {log['rust_us']:.1f} µs of CPU in Rust and {log['python_us']:.1f} "
            "µs in Python.",
            "**You must add** a layer that turns a handler's panic into a 500. Without it, "
            "the client's connection is dropped.",
        ],
    )


def databases_findings(p: Published) -> str:
    """Under the Databases tables: what the figures show, each point worded from them."""
    data = p["databases"]
    g, d = gap(p), driver_ratios(p)
    f = g["figures"]
    slowest = min(f[load]["slowest_rust_over_fastest_python"] for load in databases.LOADS)
    memory = (
        f"{times(g['memory'])} in memory, {times(g['one'])} with one query"
        if g["memory"]
        else f"{times(g['one'])} with one query"
    )
    results = data["results"]
    python_core = min(
        r[load]["server_cpu_percent"]
        for n, r in results.items()
        if not databases.is_rust(databases.SAMPLES[n])
        for load in databases.LOADS
    )
    rust_core = max(
        r[load]["server_cpu_percent"]
        for n, r in results.items()
        if databases.is_rust(databases.SAMPLES[n])
        for load in databases.LOADS
    )
    other_core = min(
        r[load]["database_cpu_percent"] + r[load]["wrk_cpu_percent"]
        for n, r in results.items()
        if databases.is_rust(databases.SAMPLES[n])
        for load in databases.LOADS
    )
    closest = min(databases.LOADS, key=lambda load: f[load]["rust_over_python"])
    cpu = service_cpu(p, closest)
    return "\n".join(
        [
            f"- **The database narrows the gap; it does not close it.** Rust's lead was "
            f"{memory} and {times(g['twenty'])} with twenty. The slower Rust service "
            f"still served at least {at_least(slowest)} as many requests as the fastest Python "
            "one, in every load.",
            f"- **The two sides hit different limits.** Every Python service kept its own core "
            f"at least {down(python_core)} % busy: the service was the bottleneck. No Rust "
            f"service went past {up(rust_core)} %. Their limit was the other core, where "
            f"PostgreSQL and wrk used at least {down(other_core)} %. So carry the CPU time "
            "per request to another machine, not the requests per second.",
            f"- **The libraries matter within each language.** tokio-postgres served at least "
            f"{at_least(d['postgres_over_sqlx'])} as many requests as SQLx in every load. Raw "
            f"asyncpg served at least {at_least(d['asyncpg_over_sqlalchemy'])} as many as "
            f"SQLAlchemy's ORM, and synchronous Flask at least "
            f"{at_least(d['flask_over_sqlalchemy'])}. The more round trips a service makes per "
            "request, the more CPU time PostgreSQL spends on it.",
            f"- **With {LOAD_WORDS[closest]}, the languages come closest**, but not because "
            "they cost the same. The Rust services waited on PostgreSQL's core; the Python "
            f"ones on their own. Per request, each Python service spent at least "
            f"{at_least(cpu['own'])} the CPU time of either Rust service, or "
            f"{at_least(cpu['both'])} counting PostgreSQL's time too.",
        ]
    )


def conclusion_box(p: Published) -> str:
    g, c = gap(p), primes(p)
    ratios = [g["figures"][load]["rust_over_python"] for load in databases.LOADS]
    low, high = min(ratios), max(ratios)
    return box(
        "In short",
        [
            "Rust pays where CPU time, memory or a crash costs the most: a gateway in front of "
            "everything, a service that parses or computes, code that runs many threads.",
            f"On a CRUD service over PostgreSQL, the gap narrows but stays: the faster Rust "
            f"service served {times(low)} to {times(high)} as many requests as the faster "
            "Python one, by load. You pay in learning, in build times, and in things FastAPI "
            "gave you for free.",
            f"You can start small. One hot function moved into Rust with PyO3 counted primes "
            f"{times(c['pyo3_over_threads'])} as fast as pure Python, called from Python.",
        ],
    )


def conclusion_crud(p: Published) -> str:
    d = driver_ratios(p)
    return "\n".join(
        [
            "A CRUD service that mostly waits on a database is a closer call, but the gap "
            f"does not vanish. {database_gap(p)}",
            "",
            "The driver and the ORM matter too. Raw asyncpg served at least "
            f"{at_least(d['asyncpg_over_sqlalchemy'])} as many requests as SQLAlchemy's ORM, "
            f"and tokio-postgres at least {at_least(d['postgres_over_sqlx'])} as many as SQLx, "
            "in every load.",
        ]
    )


def production_testcycle(p: Published) -> str:
    t = test_cycle(p)
    build = (
        "More than four fifths" if t["build_share"] > 0.8 else f"About {fraction(t['build_share'])}"
    )
    return (
        f"An edit took {times(t['ratio'])} as long to test in Rust as in Python: "
        f"{t['rust_s']:.2f} s against {t['python_s']:.2f} s. {build} of Rust's time is the "
        "build: the edited crate compiles again, and every test target that depends on it is "
        "built and linked again."
    )


def production_logging(p: Published) -> str:
    log = log_cost(p)
    said = (
        f"A log line cost Rust {log['rust_us']:.1f} µs of CPU time, "
        f"{fraction(1 / log['ratio'])} of Python's {log['python_us']:.1f} µs. "
    )
    if log["rust_throughput"] < log["python_throughput"]:
        said += (
            "Yet it takes a larger share of the Rust service's throughput, because the rest "
            "of a Rust request is so cheap. "
        )
    return said + (
        f"The line is {100 * log['rust_share']:.0f} % of a logged Rust request's CPU time, "
        f"and {100 * log['python_share']:.0f} % of a Python one's."
    )


def blocking_findings(p: Published) -> str:
    results = p["blocking"]["results"]
    rust, python = results["Rust (tokio, one thread)"], results["Python (asyncio)"]
    waits = max(rust["spawn_blocking"]["median_ms"], python["to_thread"]["median_ms"])
    called = min(rust["called in the task"]["median_ms"], python["called in the task"]["median_ms"])
    return "\n".join(
        [
            f"With the job in the task, the heartbeat woke only when the job was done, "
            f"{called:.0f} ms late, in both languages. Neither runtime can take the thread "
            "back from code that does not return. Moved to a thread, a job that waits delayed "
            f"it by a median of {up(waits, 1)} ms or less.",
            "",
            f"A job that computes is another matter in Python. The heartbeat came "
            f"{python['to_thread, CPU-bound']['median_ms']:.1f} ms late, against "
            f"{python['to_thread']['median_ms']:.1f} ms beside a job that waits, and "
            f"{rust['spawn_blocking, CPU-bound']['median_ms']:.1f} ms in Rust (medians). The "
            "job's thread holds the GIL, and the event loop gets it back only after the "
            "switch interval, 5 ms by default, has passed.",
        ]
    )


def cpu_findings(p: Published) -> str:
    c = primes(p)
    s = c["speedup"]
    return "\n".join(
        [
            (
                f"- **Python threads gain nothing from a second core.** Two took "
                f"{c['two']['Python threads']:.1f} s, one {c['one']['Python threads']:.1f} s. "
                "The GIL runs one thread's Python at a time."
                if s["Python threads"] < 1.05
                else f"- **Python threads** were {times(s['Python threads'])} as fast with two."
            ),
            f"- **Python processes do:** two were {times(s['Python processes'])} as fast as "
            "one. The cost is starting interpreters and copying data between them.",
            f"- **Rust threads do:** two were {times(s['Rust threads'])} as fast as one. One "
            f"Rust thread was already {times(c['rust_over_threads'])} as fast as one Python "
            "thread.",
            f"- **Python threads calling the Rust function do too:** two were "
            f"{times(s[PYO3])} as fast as one, since it releases the GIL while it counts.",
        ]
    )


def uvicorn_extras(p: Published) -> str:
    servers = p["http"]["servers"]
    ratio = rps(servers[FAST_UVICORN]) / rps(servers[PLAIN_UVICORN])
    return (
        f"On the [Performance](performance.md#measured-requests-per-second) page, plain "
        f"`uvicorn` (h11, asyncio) served {fraction(1 / ratio)} of the requests that "
        "`uvicorn[standard]` (httptools, uvloop) served."
    )


def granian(p: Published) -> str:
    servers = p["http"]["servers"]
    order = sorted(servers, key=lambda n: rps(servers[n]))
    place = (
        "which is why it lands between the pure-Python stack and the Rust sample"
        if order.index(PLAIN_UVICORN) < order.index(GRANIAN) < order.index(RUST_HELLO)
        else "and lands where the table shows"
    )
    return (
        "- **granian moves the HTTP work into Rust** but still calls the Python app for every "
        f"request, {place}."
    )


def http_finding(p: Published) -> str:
    h = hello(p)
    servers = p["http"]["servers"]
    python = [n for n in servers if n.startswith("Python")]
    best = max(python, key=lambda n: rps(servers[n]))
    return (
        f"The Rust sample answered {times(h['over_uvicorn'])} as many requests as uvicorn with "
        f"httptools and uvloop, and spent {fraction(1 / h['cpu_ratio'])} of its CPU time on "
        f"each. The fastest Python server was {best.removeprefix('Python: ')}, at "
        f"{100 * rps(servers[best]) / h['rust_rps']:.0f} % of the Rust sample's requests."
    )


def instructions_finding(p: Published) -> str:
    counted = p["instructions"]["servers"]
    fast = counted[FAST_UVICORN]["median"] / counted[RUST_HELLO]["median"]
    axum, fastapi = counted["Axum"]["median"], counted["FastAPI (uvicorn)"]["median"]
    return (
        f"uvicorn with httptools and uvloop ran {times(fast)} as many instructions per request "
        f"as the Rust sample. Among the Frameworks page's services, FastAPI ran "
        f"{times(fastapi / axum)} as many as Axum."
    )


def hello_world_caveat(p: Published) -> str:
    return (
        "- **It is a hello-world.** Each request does almost no work, so the figures measure "
        "the cost of the HTTP stack itself: parsing, the event loop, the call into the "
        "application. A handler that queries a database or renders a template adds its own "
        "time to every request, in both languages. On the [Databases](databases.md) page: "
        f"{database_gap(p)}"
    )


def database_caveat(p: Published) -> str:
    return (
        "- A real service also waits on a database or on other services, and that narrows "
        f"every gap. On the [Databases](databases.md) page: {database_gap(p)}"
    )


def instructions_reading(p: Published) -> str:
    counted = p["instructions"]["servers"]
    timed = p["http"]["servers"]
    further = all(
        counted[n]["median"] / counted[RUST_HELLO]["median"]
        > timed[n]["server_cpu_us_per_request"] / timed[RUST_HELLO]["server_cpu_us_per_request"]
        for n, f in counted.items()
        if f["group"] == "hello" and n != RUST_HELLO
    )
    effect = (
        "makes a fast server look further ahead of a slow one than the CPU time per request does"
        if further
        else "moves servers apart differently from the CPU time per request"
    )
    return (
        "- **It counts user space only.** The kernel's share of each request (its `read`, "
        "`write` and `epoll` calls) is not in it. A server whose own code does little spends "
        f"more of each request there, so the count {effect}."
    )


PAGES = ROOT / "docs"
FINDINGS = [
    Finding(pathlib.Path("docs/index.md"), "home", home),
    Finding(pathlib.Path("docs/performance.md"), "performance-in-short", performance),
    Finding(pathlib.Path("docs/performance.md"), "http-finding", http_finding),
    Finding(pathlib.Path("docs/performance.md"), "hello-world-caveat", hello_world_caveat),
    Finding(pathlib.Path("docs/performance.md"), "performance-granian", granian),
    Finding(pathlib.Path("docs/performance.md"), "instructions-finding", instructions_finding),
    Finding(pathlib.Path("docs/performance.md"), "instructions-reading", instructions_reading),
    Finding(pathlib.Path("docs/concurrency.md"), "concurrency-in-short", concurrency),
    Finding(pathlib.Path("docs/concurrency.md"), "blocking-findings", blocking_findings),
    Finding(pathlib.Path("docs/concurrency.md"), "cpu-findings", cpu_findings),
    Finding(pathlib.Path("docs/frameworks.md"), "frameworks-in-short", frameworks),
    Finding(pathlib.Path("docs/frameworks.md"), "uvicorn-extras", uvicorn_extras),
    Finding(pathlib.Path("docs/frameworks.md"), "database-caveat", database_caveat),
    Finding(pathlib.Path("docs/databases.md"), "databases-in-short", databases_box),
    Finding(pathlib.Path("docs/databases.md"), "databases-findings", databases_findings),
    Finding(pathlib.Path("docs/production.md"), "production-in-short", production_box),
    Finding(pathlib.Path("docs/production.md"), "testcycle-findings", production_testcycle),
    Finding(pathlib.Path("docs/production.md"), "logging-findings", production_logging),
    Finding(pathlib.Path("docs/conclusion.md"), "conclusion-in-short", conclusion_box),
    Finding(pathlib.Path("docs/conclusion.md"), "conclusion-crud", conclusion_crud),
]


# --- the Methods page --------------------------------------------------------------------------

# Which page shows each part's figures, and what it measures, for the Methods page's table.
MEASURED = {
    "http": ("[Performance](performance.md#measured-requests-per-second)", "HTTP servers"),
    "instructions": (
        "[Performance](performance.md#counted-instructions-per-request)",
        "instructions per request",
    ),
    "cpu": (
        "[Concurrency](concurrency.md#measured-the-same-computation-on-more-cores)",
        "counting primes",
    ),
    "blocking": (
        "[Concurrency](concurrency.md#blocking-inside-async-code)",
        "blocking inside async code",
    ),
    "frameworks": ("[Frameworks](frameworks.md#measured)", "web frameworks"),
    "databases": ("[Databases](databases.md#measured)", "services on PostgreSQL"),
    "testcycle": (
        "[In production](production.md#how-long-a-change-takes-to-test)",
        "edit to green tests",
    ),
    "logging": (
        "[In production](production.md#what-logging-every-request-costs)",
        "a log line per request",
    ),
}


def pins_moved() -> str | None:
    """The date `./dev upgrade` last moved the pins, from requirements.txt's header."""
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.startswith("# Pins moved to the newest releases on "):
            return line.split(" on ")[1].split()[0]
    return None


def methods_runs(p: Published) -> str:
    moved = pins_moved()
    lines = [
        "| Figures | On the page | Measured on | CPU | Python | Rust | Pins moved since |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    later = []
    for name, (page, what) in MEASURED.items():
        m = p[name]["machine"]
        since = moved is not None and moved >= m["date"]
        if since:
            later.append(what)
        rustc = m["rustc"].split()[1] if m["rustc"] else "–"
        lines.append(
            f"| {what} | {page} | {m['date']} | {m['cpu'].replace('(R)', '')}, {m['cores']} "
            f"cores | {m['python']} | {rustc} | "
            + ("the same day" if moved == m["date"] else f"yes, {moved}" if since else "no")
            + " |"
        )
    lines.append("")
    if later:
        lines.append(
            f"The pins moved on {moved}, on or after the day of the runs of "
            f"{render.names(later)}. Those figures may measure older releases of some "
            "packages than the samples now pin."
        )
    return "\n".join(lines)


def spreads(data, where: tuple = ()):
    """Every `spread_percent` in a part's data, with the keys that lead to it."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "spread_percent" and isinstance(value, int | float):
                yield value, where
            else:
                yield from spreads(value, (*where, key))


def methods_spread(p: Published) -> str:
    found = [
        (value, name, where)
        for name in MEASURED
        for value, where in spreads(p[name].get("results") or p[name].get("servers") or {})
    ]
    value, name, where = max(found)
    typical = sorted(v for v, _, _ in found)[len(found) // 2]
    return (
        f"- Within one recorded run, the runs of one server differed by {typical:.0f} % of "
        f"their median in a typical case, and by up to {value:.0f} % "
        f"({MEASURED[name][1]}: {', '.join(map(str, where))})."
    )


FINDINGS.append(Finding(pathlib.Path("docs/methods.md"), "methods-runs", methods_runs))
FINDINGS.append(Finding(pathlib.Path("docs/methods.md"), "methods-spread", methods_spread))
