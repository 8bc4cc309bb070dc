"""blocking: the blocking-in-async sample in both languages with `--timings`: how late a
50 ms heartbeat fires while another task runs a 300 ms job, called in the task and moved to
a thread (spawn_blocking, asyncio.to_thread); the Concurrency page's table."""

import pathlib
import re
import subprocess
import sys
from typing import Literal

import pydantic

from harness.support import ROOT
from tools.benchmark import render, wrk
from tools.benchmark.processes import PYTHON
from tools.benchmark.schema import Document, Profile, Strict

SAMPLE = ROOT / "snippets/concurrency/blocking_in_async"
VARIANTS = {
    "Rust (tokio, one thread)": lambda target: [target / "blocking_in_async", "--timings"],
    "Python (asyncio)": lambda target: [PYTHON, str(SAMPLE / "blocking_in_async.py"), "--timings"],
}
LATE = re.compile(r"(?m)^(.+): .*\n  heartbeat late by ([\d.]+) ms$")
# The table's rows: each sample prints its three modes in this order (its test checks that).
ROWS = [
    "A job that waits, called in the task",
    "A job that waits, moved to a thread",
    "A job that computes, moved to a thread",
]


def run(args, target: pathlib.Path) -> dict:
    late: dict[str, dict[str, list[float]]] = {v: {} for v in VARIANTS}
    for i in range(args.runs):
        for variant, command in VARIANTS.items():
            print(f"run {i + 1}/{args.runs}: blocking, {variant}", file=sys.stderr)
            done = subprocess.run(command(target), capture_output=True, text=True, check=True)
            for how, ms in LATE.findall(done.stdout):
                late[variant].setdefault(how, []).append(float(ms))
    return {
        "settings": {
            "runs": args.runs,
            "heartbeat_ms": 50,
            "job_ms": 300,
            "rust_profile": target.name,
        },
        "results": {
            variant: {how: wrk.spread(t, "ms", 1) for how, t in by_how.items()}
            for variant, by_how in late.items()
        },
        "runs": late,
    }


def table(data: dict) -> str:
    """Rows by position: each sample prints its three modes in ROWS' order."""
    s = data["settings"]
    variants = list(data["results"])
    for variant in variants:
        assert len(data["results"][variant]) == len(ROWS), variant
    lines = [
        render.describe(data["machine"])
        + f" How late a {s['heartbeat_ms']} ms timer fired while another task "
        f"ran a {s['job_ms']} ms job; median of {s['runs']} runs, lowest to highest "
        "in brackets.",
        "",
        "| Job | " + " | ".join(variants) + " |",
        "| --- |" + " --- |" * len(variants),
    ]
    for i, row in enumerate(ROWS):
        cells = []
        for variant in variants:
            f = list(data["results"][variant].values())[i]
            cells.append(f"{f['median_ms']:.1f} ms ({f['min_ms']:.1f}–{f['max_ms']:.1f})")
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- docs/benchmarks/blocking.json ------------------------------------------------------------

Variant = Literal[tuple(VARIANTS)]


class Settings(Strict):
    runs: int
    heartbeat_ms: int
    job_ms: int
    rust_profile: Profile


class Late(Strict):
    median_ms: float
    min_ms: float
    max_ms: float


class Blocking(Document):
    settings: Settings
    # By language, then by how the job ran, in ROWS' order (the samples' names for it).
    results: dict[Variant, dict[str, Late]]
    runs: dict[Variant, dict[str, list[float]]]

    @pydantic.model_validator(mode="after")
    def one_figure_per_row(self):
        for variant, by_how in self.results.items():
            if len(by_how) != len(ROWS) or list(by_how) != list(self.runs.get(variant, {})):
                raise ValueError(f"{variant}: {list(by_how)}, one per row of {ROWS}")
        return self
