"""Every table the benchmark writes into a page is what its recorded run renders today: an
edited figure in a page, or a change to the code that writes a table (two columns swapped),
fails here. Databases and reload have their own (tests/databases/test_measured.py,
tests/site/test_serve.py)."""

import json

import pytest

from tests.support import ROOT
from tools import benchmark

TABLES = [
    ("performance", "http", benchmark.http_table),
    ("concurrency", "cpu", benchmark.cpu_table),
    ("concurrency", "blocking", benchmark.blocking_table),
    ("frameworks", "frameworks", benchmark.frameworks_table),
]


@pytest.mark.parametrize("page, name, render", TABLES, ids=[t[1] for t in TABLES])
def test_the_page_shows_what_its_recorded_run_renders(page, name, render):
    data = json.loads((ROOT / "docs/benchmarks" / f"{name}.json").read_text())
    start, end = benchmark.markers(name)
    shown = (ROOT / "docs" / f"{page}.md").read_text().split(start)[1].split(end)[0]
    assert shown.strip() == render(data, data["machine"]).strip(), (
        f"docs/{page}.md's {name} table differs from docs/benchmarks/{name}.json's run "
        "(./dev bench --only " + name + " writes both)"
    )
