"""The Frameworks page quotes ./dev bench's figures in its Choosing table: they must be the
ones in docs/benchmarks/frameworks.json, which the bench wrote with the table above it."""

import json

import pytest

from harness.support import ROOT
from tools.benchmark import frameworks

DATA = ROOT / "docs/benchmarks/frameworks.json"


@pytest.mark.parametrize(
    "name", [n for n, s in frameworks.SAMPLES.items() if frameworks.is_rust(s)]
)
def test_choosing_table_quotes_the_benchmark(name):
    figures = json.loads(DATA.read_text())["results"][name]
    page = (ROOT / "docs/frameworks.md").read_text()
    choosing = page[page.index("## Choosing") :].split("\n## ")[0]
    (row,) = [
        line for line in choosing.splitlines() if line.startswith("| ") and f" {name} |" in line
    ]
    assert frameworks.choosing_cell(figures) in row, (
        f"docs/frameworks.md's Choosing table: {name}'s figures differ from {DATA.name}; "
        f"they are: {frameworks.choosing_cell(figures)}"
    )


@pytest.mark.parametrize(
    "name", [n for n, s in frameworks.SAMPLES.items() if not frameworks.is_rust(s)]
)
def test_choosing_section_quotes_the_python_services(name):
    figures = json.loads(DATA.read_text())["results"][name]
    page = (ROOT / "docs/frameworks.md").read_text()
    served = f"{figures['GET /users/1']['requests_per_s']['median']:,} GET/s"
    short = name.split()[0]
    assert (
        f"{short} served {served}" in page or f"and {short} {served.removesuffix(' GET/s')}" in page
    )
