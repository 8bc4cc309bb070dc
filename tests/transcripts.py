"""Output files: what a command printed, kept next to the sample and shown on its page.

An output file is one or more steps: a `$ command` line, then what that command printed
(stdout and stderr together, as a terminal shows them). Tests run each command from the
repository root and compare; `./dev test --update-outputs` rewrites every output file from
a fresh run, which is what an author does after changing a sample.
"""

import dataclasses
import difflib
import pathlib
import shlex
import subprocess
import sys
from typing import Callable

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
REWRITE_COMMAND = "./dev test --update-outputs"


@dataclasses.dataclass
class Step:
    command: str
    output: str


def read(path: pathlib.Path) -> list[Step]:
    steps: list[Step] = []
    for line in path.read_text().splitlines(keepends=True):
        if line.startswith("$ "):
            steps.append(Step(line[2:].rstrip("\n"), ""))
        elif not steps:
            raise ValueError(f"{path}: an output file starts with a `$ command` line")
        else:
            steps[-1].output += line
    return steps


def write(path: pathlib.Path, steps: list[Step]) -> None:
    path.write_text("".join(f"$ {step.command}\n{step.output}" for step in steps))


def argv(command: str) -> list[str]:
    """The command as a reader types it; `python` is the interpreter running the tests."""
    args = shlex.split(command)
    return [sys.executable, *args[1:]] if args[0] == "python" else args


def run(command: str, *extra: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*argv(command), *extra],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=timeout,
    )


def diff(path: pathlib.Path, expected: str, actual: str) -> str:
    lines = difflib.unified_diff(
        expected.splitlines(keepends=True),
        actual.splitlines(keepends=True),
        fromfile=f"{path.relative_to(ROOT)} (shown on the page)",
        tofile="this run",
    )
    return "".join(lines)


def check(
    path: pathlib.Path,
    update: bool,
    outputs: list[str],
    normalise: Callable[[str], str] = lambda text: text,
) -> None:
    """Compare what the steps printed this run (`outputs`) with the file, or rewrite it."""
    steps = read(path)
    assert len(outputs) == len(steps)
    if update:
        write(path, [Step(step.command, out) for step, out in zip(steps, outputs)])
        return
    for step, out in zip(steps, outputs):
        if normalise(out) != normalise(step.output):
            pytest.fail(
                f"{path.relative_to(ROOT)} is stale: `{step.command}` now prints something else.\n"
                f"{diff(path, step.output, out)}\n"
                f"If the change is intended, rewrite the output files with: {REWRITE_COMMAND}",
                pytrace=False,
            )


def check_commands(path: pathlib.Path, update: bool, normalise=lambda text: text) -> None:
    """Run every command of an output file and check what each prints."""
    outputs = []
    for step in read(path):
        done = run(step.command)
        if done.returncode != 0:
            pytest.fail(f"`{step.command}` exited with {done.returncode}:\n{done.stdout}", pytrace=False)
        outputs.append(done.stdout)
    check(path, update, outputs, normalise)


def sorted_lines(text: str) -> str:
    """For threads, which print in whatever order the OS schedules them."""
    return "".join(sorted(text.splitlines(keepends=True)))
