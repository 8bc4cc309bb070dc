"""Every table the benchmark writes into a page is what its recorded run renders today: an
edited figure in a page, or a change to the code that writes a table (two columns swapped),
fails here. Databases and reload have their own (tests/databases/test_measured.py,
tests/site/test_serve.py)."""

import json

import pytest

from harness.support import ROOT
from tools import benchmark, benchmark_instructions

TABLES = [
    ("performance", "http", benchmark.http_table),
    ("concurrency", "cpu", benchmark.cpu_table),
    ("concurrency", "blocking", benchmark.blocking_table),
    ("frameworks", "frameworks", benchmark.frameworks_table),
    ("frameworks", "frameworks-summary", lambda data, m: benchmark.frameworks_summary(data)),
    ("performance", "instructions", lambda data, m: benchmark_instructions.table(data)),
]


@pytest.mark.parametrize("page, name, render", TABLES, ids=[t[1] for t in TABLES])
def test_the_page_shows_what_its_recorded_run_renders(page, name, render):
    data = json.loads((ROOT / "docs/benchmarks" / f"{name.split('-')[0]}.json").read_text())
    start, end = benchmark.markers(name)
    shown = (ROOT / "docs" / f"{page}.md").read_text().split(start)[1].split(end)[0]
    assert shown.strip() == render(data, data["machine"]).strip(), (
        f"docs/{page}.md's {name} table differs from docs/benchmarks/{name}.json's run "
        "(./dev bench --only " + name + " writes both)"
    )


def test_what_the_pages_say_of_the_cpu_run_holds_in_it():
    """Concurrency and Conclusion: Python threads get no faster with a second worker; Python
    processes, Rust threads and Python threads calling the PyO3 function do."""
    results = json.loads((ROOT / "docs/benchmarks/cpu.json").read_text())["results"]
    speedup = {name: runs["2"]["speedup_vs_1"] for name, runs in results.items()}
    assert speedup["Python threads"] < 1.05, speedup
    for faster in ("Python processes", "Rust threads", "Python threads calling Rust (PyO3)"):
        assert speedup[faster] > 1.2, (faster, speedup)


def test_plain_uvicorn_is_several_times_slower_than_with_its_standard_extras():
    """Frameworks: plain `uvicorn` (h11, asyncio) "several times slower" than uvicorn[standard]
    (httptools, uvloop), on the Performance page's run."""
    servers = json.loads((ROOT / "docs/benchmarks/http.json").read_text())["servers"]
    fast = servers["Python: uvicorn + httptools + uvloop"]["requests_per_s"]["median"]
    plain = servers["Python: uvicorn + h11 + asyncio"]["requests_per_s"]["median"]
    assert fast / plain >= 3, fast / plain


def test_what_the_concurrency_page_says_of_the_blocking_run_holds_in_it():
    """Moved to a thread, a job that waits delays the heartbeat by a millisecond or two in
    both languages; a Python job that computes delays it more (the GIL's switch interval),
    and more than a Rust job that computes."""
    results = json.loads((ROOT / "docs/benchmarks/blocking.json").read_text())["results"]
    rust = [f["median_ms"] for f in results["Rust (tokio, one thread)"].values()]
    python = [f["median_ms"] for f in results["Python (asyncio)"].values()]
    assert rust[0] >= 250 and python[0] >= 250
    assert rust[1] < 2.5 and python[1] < 2.5
    assert python[2] > python[1] and python[2] > rust[2]
    # "later than beside the job that waits, by about that interval" (5 ms)
    assert 2.5 <= python[2] - python[1] <= 12


def test_granian_lands_between_the_pure_python_stack_and_rust():
    """Performance: granian moves the HTTP work into Rust "which is why it lands between the
    pure-Python stack and the Rust sample"."""
    servers = json.loads((ROOT / "docs/benchmarks/http.json").read_text())["servers"]
    rps = {name: f["requests_per_s"]["median"] for name, f in servers.items()}
    granian = rps["Python: granian (Rust server, ASGI app)"]
    assert rps["Python: uvicorn + h11 + asyncio"] < granian < rps["Rust: hyper 1.x (the sample)"]


def test_the_instruction_count_puts_rust_further_ahead_than_cpu_time_does():
    """Performance: the count "makes a fast server look further ahead of a slow one than the
    CPU time per request in the table above does"."""
    counted = json.loads((ROOT / "docs/benchmarks/instructions.json").read_text())["servers"]
    timed = json.loads((ROOT / "docs/benchmarks/http.json").read_text())["servers"]
    rust = "Rust: hyper 1.x (the sample)"
    for name, figures in counted.items():
        if figures["group"] == "hello" and name != rust:
            by_count = figures["median"] / counted[rust]["median"]
            cpu = timed[name]["server_cpu_us_per_request"]
            by_time = cpu / timed[rust]["server_cpu_us_per_request"]
            assert by_count > by_time, (name, by_count, by_time)
