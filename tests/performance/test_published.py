"""Every table and chart ./dev bench publishes is what its recorded run renders today, and
every recorded run fits its part's schema: all derived from the parts' declarations
(tools/benchmark/parts.py). An edited figure in a page or a chart, a change to the code that
writes a table (two columns swapped) or a field renamed or gone from a JSON file fails here;
`./dev test --update-outputs` re-renders the pages' blocks and the charts from the JSON.
Below: what the pages say of the runs, held to the data."""

import json

import pytest

from harness.support import ROOT
from tools.benchmark.findings import FINDINGS, Published
from tools.benchmark.parts import OUT, PARTS

TABLES = [(part, table) for part in PARTS.values() for table in part.tables]
CHARTS = [part for part in PARTS.values() if part.chart]


def data(part) -> dict:
    return json.loads(part.json().read_text())


@pytest.mark.parametrize(("part", "table"), TABLES, ids=[table.name for _, table in TABLES])
def test_the_page_shows_what_its_recorded_run_renders(outputs, part, table):
    outputs.between(ROOT / table.page, *table.markers, table.render(data(part)))


@pytest.mark.parametrize("finding", FINDINGS, ids=[finding.name for finding in FINDINGS])
def test_the_page_says_what_the_recorded_runs_show(outputs, finding):
    """Every sentence that states, compares or bounds measured figures stands in such a
    block: change a word of it and this fails."""
    outputs.between(ROOT / finding.page, *finding.markers, finding.render(Published()))


@pytest.mark.parametrize("part", CHARTS, ids=[part.name for part in CHARTS])
def test_the_chart_is_what_its_recorded_run_draws(outputs, part):
    outputs.file(part.svg(), part.chart(data(part)))


@pytest.mark.parametrize("part", PARTS.values(), ids=list(PARTS))
def test_the_recorded_run_fits_its_schema(part):
    part.schema.model_validate_json(part.json().read_text())


def test_every_published_file_belongs_to_a_part():
    """No JSON without a schema, no chart that nothing redraws."""
    assert {p.name for p in OUT.glob("*.json")} == {part.json().name for part in PARTS.values()}
    assert {p.name for p in OUT.glob("*.svg")} == {part.svg().name for part in CHARTS}


def test_what_the_pages_say_of_the_cpu_run_holds_in_it():
    """Concurrency and Conclusion: Python threads get no faster with a second worker; Python
    processes, Rust threads and Python threads calling the PyO3 function do."""
    results = json.loads((OUT / "cpu.json").read_text())["results"]
    speedup = {name: runs["2"]["speedup_vs_1"] for name, runs in results.items()}
    assert speedup["Python threads"] < 1.05, speedup
    for faster in ("Python processes", "Rust threads", "Python threads calling Rust (PyO3)"):
        assert speedup[faster] > 1.2, (faster, speedup)


def test_what_the_concurrency_page_says_of_the_blocking_run_holds_in_it():
    """Moved to a thread, a job that waits delays the heartbeat by a millisecond or two in
    both languages; a Python job that computes delays it more (the GIL's switch interval),
    and more than a Rust job that computes."""
    results = json.loads((OUT / "blocking.json").read_text())["results"]
    rust = [f["median_ms"] for f in results["Rust (tokio, one thread)"].values()]
    python = [f["median_ms"] for f in results["Python (asyncio)"].values()]
    assert rust[0] >= 250 and python[0] >= 250
    assert rust[1] < 2.5 and python[1] < 2.5
    assert python[2] > python[1] and python[2] > rust[2]
    # "later than beside the job that waits, by about that interval" (5 ms)
    assert 2.5 <= python[2] - python[1] <= 12
