"""The processes a run measures: free ports and pinned CPUs, servers started and stopped (with
harness/servers.py's `launched`, as the tests start theirs), process trees and the CPU time
and memory they use, and the Python environments the samples run in."""

import contextlib
import os
import pathlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from harness import servers, support
from harness.processes import cpu_by_pid, cpu_since, rss, tree  # noqa: F401 (theirs too)
from harness.support import ROOT

# The project's Python: the standard-library samples need nothing else.
PYTHON = sys.executable
# What the hello servers answer GET / with, once they serve.
HELLO_READY = ("/", b"Hello, world!")
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pinned(cpus: str | None, argv: list) -> list:
    """`argv` restricted to the CPUs in `cpus` ("0", "0-2"), or as it is for None."""
    return argv if cpus is None else ["taskset", "-c", cpus, *argv]


def server_and_load_cpus() -> tuple[str | None, str | None]:
    """CPU 0 for the server, CPU 1 for what loads it, where there are two; else no pinning."""
    return ("0", "1") if len(os.sched_getaffinity(0)) >= 2 else (None, None)


@contextlib.contextmanager
def server(
    argv: list,
    cpus: str | None,
    ready: tuple[str, bytes | None] = HELLO_READY,
    startup_s: float = 30,
    stop_s: float = 10,
    poll: float = 0.1,
    env: dict[str, str] | None = None,
    stdout: pathlib.Path | None = None,
) -> Iterator[servers.Started]:
    """The server on a free port (appended to `argv`, and in APP_PORT for the Production
    page's services, which take it from there), pinned to `cpus`, with `env` added to the
    environment, once GET `ready[0]` answers `ready[1]` (anything, for None); stopped with
    SIGINT, killed if it has not exited `stop_s` later. What it prints goes to the file
    `stdout` (else nowhere). `.seconds` is how long it took to serve."""
    port = free_port()
    environment = {**os.environ, **(env or {}), "APP_PORT": str(port)}
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(stdout, "w")) if stdout else subprocess.DEVNULL
        started = stack.enter_context(
            servers.launched(
                pinned(cpus, [*argv, str(port)]),
                ready=ready,
                port=port,
                timeout=startup_s,
                poll=poll,
                stdout=out,
                stderr=subprocess.DEVNULL,
                env=environment,
                grace=stop_s,
            )
        )
        yield started


def while_running(work: Callable[[], T], sample: Callable[[], None]) -> tuple[T, float]:
    """`work()` in a thread, calling `sample()` every 0.2 s until it ends (the peak memory of
    a server while wrk loads it) and once after, while the server still holds what the load
    made it open (a 1-second run on a busy machine may otherwise be sampled only before its
    pool connected); what `work` returned, and the wall seconds it took."""
    done: dict = {}
    thread = threading.Thread(target=lambda: done.update(result=work()))
    started = time.monotonic()
    thread.start()
    while thread.is_alive():
        sample()
        thread.join(0.2)
    wall = time.monotonic() - started
    sample()
    if "result" not in done:
        raise RuntimeError("the load failed (its error is above)")
    return done["result"], wall


class SamplePython(os.PathLike):
    """The Python of a virtual environment holding a sample's requirements.txt and nothing
    else (and `extra`, such as another server the page runs it on), made when a command
    first runs: the benchmark measures the stack a reader installs, not this project's venv
    (where uvicorn's `auto` would find httptools and uvloop whatever the sample pins)."""

    def __init__(self, folder: pathlib.Path, *extra: str):
        self.folder, self.extra = folder, list(extra)
        self.python: str | None = None

    def __fspath__(self) -> str:
        if self.python is None:
            requirements = (self.folder / "requirements.txt").read_text()
            work = support.COPIES / "bench" / self.folder.name
            work.mkdir(parents=True, exist_ok=True)
            (work / "requirements.txt").write_text(requirements)
            self.python = support.environment(
                {"requirements.txt": requirements},
                ["-r", "requirements.txt", *self.extra],
                cwd=work,
            )
        return self.python

    __str__ = __fspath__


def pinned_requirement(name: str) -> str:
    """`name==version` as this project's requirements.txt pins it."""
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.lower().startswith(f"{name}=="):
            return line.split()[0]
    raise LookupError(f"{name} is not pinned in requirements.txt")
