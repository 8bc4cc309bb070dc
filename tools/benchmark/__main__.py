"""`python -m tools.benchmark` (./dev bench): the options, and the run of the parts that
parts.py declares. No part imports this module, and it holds no state: run as `__main__`, it
would be a second copy of itself for whatever imported it. The parts get what they need (the
options, the Rust target directory) as arguments."""

import argparse
import json
import pathlib
import subprocess
import sys

import pydantic

import tools.benchmark
from harness import support
from harness.support import ROOT, replace_between
from tools.benchmark import findings, render
from tools.benchmark.parts import OUT, PARTS, Part


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="./dev bench", description=tools.benchmark.__doc__.splitlines()[0]
    )
    parser.add_argument("--seconds", type=int, default=10, help="measured wrk run per server")
    parser.add_argument(
        "--warmup", type=int, default=2, help="wrk warm-up per server run (0: none)"
    )
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=int, default=1_000_000, help="primes below this")
    parser.add_argument("--edits", type=int, default=10, help="saves of each kind (reload)")
    parser.add_argument(
        "--workers",
        type=int,
        help="also run Rust and uvicorn on this many "
        "cores (default: all but one, on machines with 4 cores or more)",
    )
    parser.add_argument(
        "--only",
        choices=list(PARTS),
        action="append",
        help="run only this part (may be given more than once; default: all)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="debug builds of the Rust samples, as the tests build them (the smoke test)",
    )
    parser.add_argument(
        "--skip-clean-builds",
        action="store_true",
        help="leave out the clean release build of each Rust framework (minutes each)",
    )
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / OUT, help="where the data goes")
    parser.add_argument("--no-pages", action="store_true", help="leave docs/*.md alone")
    return parser.parse_args(argv)


def build(parts: list[Part], debug: bool) -> None:
    """The Rust samples the parts run, in release mode; with --debug, the whole workspace,
    as the tests build it."""
    samples = [sample for part in parts for sample in part.rust]
    if debug or samples:
        subprocess.run(
            # Debug: the whole workspace, as the tests build it (other packages would unify
            # crate features differently, and cargo would build those crates again).
            ["cargo", "build", "--locked", "-q"]
            + (["--workspace"] if debug else ["--release", *(f"--package={s}" for s in samples)]),
            cwd=ROOT,
            check=True,
        )


def compare_with_previous(part: Part, out: pathlib.Path, data: dict) -> str | None:
    """What moved since the part's file in `out`, which this run is about to replace."""
    if part.compare is None:
        return None
    previous = part.json(out)
    if not previous.is_file():
        return "No previous results to compare with."
    return part.compare(json.loads(previous.read_text()), data)


def write(part: Part, out: pathlib.Path, data: dict) -> None:
    """The part's JSON, once its schema holds (else beside it as NAME.rejected.json, and the
    run stops), and its chart."""
    text = json.dumps(data, indent=2) + "\n"
    try:
        part.schema.model_validate_json(text)
    except pydantic.ValidationError as error:
        rejected = out / f"{part.name}.rejected.json"
        rejected.write_text(text)
        raise SystemExit(
            f"{part.name}: the data does not fit its schema, kept in {rejected}:\n{error}"
        ) from error
    part.json(out).write_text(text)
    if part.chart:
        part.svg(out).write_text(part.chart(data))


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    parts = [part for name, part in PARTS.items() if not args.only or name in args.only]
    target = support.TARGET / ("debug" if args.debug else "release")
    build(parts, args.debug)
    machine = render.machine()
    args.out.mkdir(parents=True, exist_ok=True)
    printed, blocks = [], []
    for part in parts:
        data = {"machine": machine, **part.run(args, target)}
        changes = compare_with_previous(part, args.out, data)
        write(part, args.out, data)
        for table in part.tables:
            text = table.render(data)
            printed.append(text)
            blocks.append((table, text))
        if changes:
            printed.append(changes)
    print(*printed, sep="\n\n")
    if not args.no_pages:
        for table, text in blocks:
            replace_between(ROOT / table.page, *table.markers, text)
        # The sentences worded from the figures: this run's, and the published of other parts.
        published = findings.Published(args.out)
        for finding in findings.FINDINGS:
            replace_between(ROOT / finding.page, *finding.markers, finding.render(published))
    return 0


if __name__ == "__main__":
    sys.exit(main())
