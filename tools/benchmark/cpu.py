"""cpu: the prime-counting sample in Rust threads, Python threads, Python processes and Python
threads calling the PyO3 sample's Rust function, on 1, 2 and all cores; the Concurrency
page's table and chart."""

import os
import pathlib
import subprocess
import sys
import time
from typing import Literal

import pydantic

from harness import support
from harness.support import ROOT
from tools import pyo3_module
from tools.benchmark import render, wrk
from tools.benchmark.processes import PYTHON
from tools.benchmark.schema import Document, Profile, Strict

PRIMES = ROOT / "snippets/concurrency/prime_count"
PYO3 = ROOT / "snippets/concurrency/prime_count_pyo3/prime_count_pyo3.py"
# Each version's command for (the Rust target directory, the limit, the number of workers).
VARIANTS = {
    "Rust threads": lambda target, limit, n: [target / "prime_count", str(limit), str(n)],
    "Python threads": lambda target, limit, n: [
        PYTHON,
        str(PRIMES / "prime_count.py"),
        str(limit),
        str(n),
    ],
    "Python processes": lambda target, limit, n: [
        PYTHON,
        str(PRIMES / "prime_count.py"),
        str(limit),
        str(n),
        "processes",
    ],
    # PYTHONPATH names the build of the PyO3 sample (see run).
    "Python threads calling Rust (PyO3)": lambda target, limit, n: [
        PYTHON,
        str(PYO3),
        str(limit),
        str(n),
    ],
}


def run(args, target: pathlib.Path) -> dict:
    debug = target.name == "debug"
    built = support.TARGET / "bench" / ("fast_primes-debug" if debug else "fast_primes")
    env = {**os.environ, "PYTHONPATH": str(pyo3_module.build(built, release=not debug))}
    workers = sorted({1, 2, os.cpu_count() or 1})
    times: dict[str, dict[str, list]] = {v: {str(n): [] for n in workers} for v in VARIANTS}
    expected = None
    for i in range(args.runs):
        for variant, command in VARIANTS.items():
            for n in workers:
                print(f"run {i + 1}/{args.runs}: {variant}, {n} worker(s)", file=sys.stderr)
                started = time.perf_counter()
                out = subprocess.run(
                    command(target, args.limit, n),
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                ).stdout
                times[variant][str(n)].append(time.perf_counter() - started)
                if expected not in (None, out):
                    raise RuntimeError(f"{variant} printed {out!r}, others {expected!r}")
                expected = out
    results = {
        variant: {n: wrk.spread(t, "s", 3) for n, t in by_n.items()}
        for variant, by_n in times.items()
    }
    for by_n in results.values():
        one = by_n["1"]["median_s"]
        for figures in by_n.values():
            figures["speedup_vs_1"] = round(one / figures["median_s"], 2)
    return {
        "settings": {
            "limit": args.limit,
            "runs": args.runs,
            "workers": workers,
            "rust_profile": target.name,
        },
        "answer": expected.strip(),
        "results": results,
        "runs": times,
    }


def table(data: dict) -> str:
    s = data["settings"]
    workers = [str(n) for n in s["workers"]]
    lines = [
        render.describe(data["machine"])
        + f" Counting primes below {s['limit']:,} ({data['answer'].split()[0]} of "
        f"them), wall time including start-up, median of {s['runs']} runs.",
        "",
        "| Version | " + " | ".join(f"{n} worker{'s' if n != '1' else ''}" for n in workers) + " |",
        "| --- |" + " --- |" * len(workers),
    ]
    for variant, by_n in data["results"].items():
        cells = [f"{by_n[n]['median_s']:.2f} s (×{by_n[n]['speedup_vs_1']:.2f})" for n in workers]
        lines.append(f"| {variant} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def chart(data: dict) -> str:
    return render.bar_chart(
        f"Counting primes below {data['settings']['limit']:,}: wall time (lower is better)",
        [
            (
                f"{variant}, {n} worker{'s' if n != '1' else ''}",
                f["median_s"],
                f["min_s"],
                f["max_s"],
            )
            for variant, by_n in data["results"].items()
            for n, f in by_n.items()
        ],
        "s",
    )


# --- docs/benchmarks/cpu.json ---------------------------------------------------------------

Version = Literal[tuple(VARIANTS)]


class Settings(Strict):
    limit: int
    runs: int
    workers: list[int]
    rust_profile: Profile | None = None  # the published run (2026-11-25) predates it


class Timing(Strict):
    median_s: float
    min_s: float
    max_s: float
    speedup_vs_1: float


class Cpu(Document):
    settings: Settings
    answer: str
    # By version, then by the number of workers ("1", "2", ...).
    results: dict[Version, dict[str, Timing]]
    runs: dict[Version, dict[str, list[float]]]

    @pydantic.model_validator(mode="after")
    def every_worker_count(self):
        counts = [str(n) for n in self.settings.workers]
        for version, by_n in [*self.results.items(), *self.runs.items()]:
            if list(by_n) != counts:
                raise ValueError(f"{version}: worker counts {list(by_n)}, settings say {counts}")
        return self
