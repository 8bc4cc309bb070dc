"""Every part of ./dev bench, declared once: how it runs, the Rust samples it needs built, the
schema of its docs/benchmarks/NAME.json, the tables it writes into which page between which
markers, and its chart, docs/benchmarks/NAME.svg. `python -m tools.benchmark` runs them in
this order; tests/performance/test_published.py re-renders every table and chart from the
committed JSON and validates each file against its schema."""

import argparse
import dataclasses
import pathlib
from collections.abc import Callable

from harness.support import ROOT
from tools.benchmark import (
    blocking,
    cpu,
    databases,
    frameworks,
    http,
    instructions,
    production,
    reload,
    render,
)
from tools.benchmark.schema import Document

OUT = ROOT / "docs/benchmarks"


@dataclasses.dataclass(frozen=True)
class Table:
    """A block of a page (its path from the repository root) that `render(data)` writes
    between the markers render.markers(name) gives: what `text(data)` says, with how it was
    measured folded away below the table on the site's pages (render.method_last)."""

    page: pathlib.Path
    name: str
    text: Callable[[dict], str]

    @property
    def markers(self) -> tuple[str, str]:
        return render.markers(self.name)

    def render(self, data: dict) -> str:
        text = self.text(data)
        return render.method_last(text) if self.page.parts[0] == "docs" else text


@dataclasses.dataclass(frozen=True)
class Part:
    name: str
    # The part's figures for its JSON (all but `machine`), from the command line's options and
    # the Rust samples' target directory (release, or debug with --debug).
    run: Callable[[argparse.Namespace, pathlib.Path], dict]
    schema: type[Document]
    tables: tuple[Table, ...]
    chart: Callable[[dict], str] | None = None
    rust: tuple[str, ...] = ()  # the workspace packages it runs, built before any part runs
    # What moved since the run this one replaces: (previous data, this run's) -> a report
    # (it may add figures to this run's data).
    compare: Callable[[dict, dict], str] | None = None

    def json(self, out: pathlib.Path = OUT) -> pathlib.Path:
        return out / f"{self.name}.json"

    def svg(self, out: pathlib.Path = OUT) -> pathlib.Path:
        return out / f"{self.name}.svg"


PERFORMANCE = pathlib.Path("docs/performance.md")
CONCURRENCY = pathlib.Path("docs/concurrency.md")
FRAMEWORKS = pathlib.Path("docs/frameworks.md")
PRODUCTION = pathlib.Path("docs/production.md")

PARTS = {
    part.name: part
    for part in [
        Part(
            "http",
            http.run,
            http.Http,
            (Table(PERFORMANCE, "http", http.table),),
            chart=http.chart,
            rust=("hello_server",),
            compare=http.compare,
        ),
        Part(
            "cpu",
            cpu.run,
            cpu.Cpu,
            (Table(CONCURRENCY, "cpu", cpu.table),),
            chart=cpu.chart,
            rust=("prime_count",),  # and the PyO3 module, which maturin builds
        ),
        Part(
            "blocking",
            blocking.run,
            blocking.Blocking,
            (Table(CONCURRENCY, "blocking", blocking.table),),
            rust=("blocking_in_async",),
        ),
        Part(
            "frameworks",
            frameworks.run,
            frameworks.Frameworks,
            (
                Table(FRAMEWORKS, "frameworks", frameworks.table),
                Table(FRAMEWORKS, "frameworks-summary", frameworks.summary),
            ),
            chart=frameworks.chart,
            rust=frameworks.RUST_SAMPLES,
        ),
        Part(
            "databases",
            databases.run,
            databases.Databases,
            (Table(pathlib.Path("docs/databases.md"), "databases", databases.table),),
            chart=databases.chart,
            rust=databases.RUST_SAMPLES,
        ),
        Part(
            "instructions",
            instructions.run,
            instructions.Instructions,
            (Table(PERFORMANCE, "instructions", instructions.table),),
            rust=("hello_server", *frameworks.RUST_SAMPLES),
        ),
        Part(
            "testcycle",
            production.run_testcycle,
            production.Testcycle,
            (Table(PRODUCTION, "testcycle", production.testcycle_table),),
        ),
        Part(
            "logging",
            production.run_logging,
            production.Logging,
            (Table(PRODUCTION, "logging", production.logging_table),),
            rust=("service_axum",),
        ),
        Part(
            "reload",
            reload.run,
            reload.Reload,
            (Table(pathlib.Path("MAINTAINING.md"), "reload", reload.table),),
        ),
    ]
}
