"""Start a sample server as a real process and stop it, whatever the test does; `launched`
is also how ./dev bench starts the servers it measures."""

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import datetime
import http.client
import json
import os
import pathlib
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import typing
import urllib.request
from collections.abc import Iterator
from typing import NamedTuple

import psutil
import pytest

from harness import http_probes, transcripts
from harness.processes import cpu_by_pid, cpu_since, stop_with_parent, tree
from harness.support import ROOT

LISTENING = re.compile(r"Listening on http://127\.0\.0\.1:(\d+)\n")
# Every server sample's grace period, as the pages state it; what a process may take beyond
# a bound it states (its own start or exit, this shared machine's noise); so a stop's bound.
GRACE = 2.0
ALLOWANCE = 1.0
STOP_BOUND = GRACE + ALLOWANCE
# The Performance page's bound for the hello servers with awkward clients or under load:
# uvicorn takes 3 to 4 s to exit with a client that sends megabytes and reads nothing.
AWKWARD_STOP_BOUND = 5.0
# When uvicorn says its grace ran out, after the grace: its own 0.1 s tick and 0.1 s sleep, and
# an event loop slowed by a loaded machine (1.03 s past a 2 s grace once, beside a CPU burner).
# Less than a second grace would add, so a grace set to twice the page's still fails.
LOG_ALLOWANCE = 1.5
# What uvicorn logs when its grace runs out, and its traceback of a request it cancelled ends with.
UVICORN_GAVE_UP = "timeout graceful shutdown exceeded"


@dataclasses.dataclass
class Server:
    process: subprocess.Popen
    port: int
    first_line: str
    # A file, not a pipe: a server that logs more than a pipe holds (64 KiB: a database
    # outage's warnings, tracebacks) would block on its next write, and every request with it.
    stderr_file: typing.IO[str]
    # The same for stdout, which a reader thread empties into this list from the line after
    # the first (the Production page's services log every request there).
    stdout_lines: list[str] = dataclasses.field(default_factory=list)
    reader: threading.Thread | None = None

    def stderr(self) -> str:
        self.stderr_file.seek(0)
        return self.stderr_file.read()

    def stdout(self) -> str:
        """All it printed so far, from the `Listening on` line on."""
        return self.first_line + "".join(self.stdout_lines)

    def request(self, method: str = "GET", path: str = "/", body: bytes | None = None):
        """One request on a fresh connection; returns (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def stop(self, sig: int = signal.SIGINT, timeout: float = STOP_BOUND + 5) -> "Stopped":
        """Signal the process group, as Ctrl+C in a terminal does, and wait for the exit,
        noting when each line it writes meanwhile arrives: the exit's time counts the
        process's own teardown too, a log line (uvicorn's, when its grace runs out) does not."""
        fd = self.stderr_file.fileno()
        offset = os.fstat(fd).st_size  # what it wrote before the signal
        seen = len(self.stdout_lines)
        logged: list[tuple[float, str]] = []
        pending = b""

        def collect(took: float) -> None:
            nonlocal offset, seen, pending
            # pread: the server writes through the same open file, whose offset a read moves.
            while chunk := os.pread(fd, 1 << 16, offset):
                offset += len(chunk)
                *lines, pending = (pending + chunk).split(b"\n")
                for raw in lines:
                    line = raw.decode(errors="replace")
                    logged.append((written(line, took, signalled), line))
            while seen < len(self.stdout_lines):  # the reader thread's, as they come
                line = self.stdout_lines[seen].rstrip("\n")
                logged.append((written(line, took, signalled), line))
                seen += 1

        started, signalled = time.monotonic(), time.time()
        os.killpg(self.process.pid, sig)
        while self.process.poll() is None:
            took = time.monotonic() - started
            if took > timeout:
                raise subprocess.TimeoutExpired(self.process.args, timeout)
            collect(took)
            time.sleep(0.01)
        took = time.monotonic() - started
        if self.reader:
            self.reader.join(timeout=10)  # a child may still hold stdout open
            assert not self.reader.is_alive(), "a process of its group still holds stdout"
        collect(took)
        return Stopped(self.process.returncode, self.stdout(), self.stderr(), took, tuple(logged))


def written(line: str, seen: float, signalled: float) -> float:
    """When a server wrote `line`, in seconds after the signal sent at `signalled` (wall
    clock): its own time stamp where the line has one (JSON logs, the Production service's),
    which a busy test process cannot delay; else `seen`, when it was read."""
    try:
        stamp = datetime.datetime.fromisoformat(json.loads(line)["timestamp"])
    except (ValueError, TypeError, KeyError):
        return seen
    return stamp.timestamp() - signalled


class Stopped(NamedTuple):
    status: int
    stdout: str  # everything, from the `Listening on` line on
    stderr: str
    seconds: float = 0.0  # from the signal to the exit
    # Each line written to stderr or stdout between the signal and the exit, with the seconds
    # since the signal at which it was written (written(): its time stamp, or when it was seen,
    # to within 10 ms).
    logged: tuple[tuple[float, str], ...] = ()

    def grace_ran_out(self) -> float:
        """When uvicorn gave up waiting for the requests in progress (it logs it), in seconds
        after the signal: the grace period it really waited, which its exit time hides under a
        second or more of teardown."""
        for seconds, line in self.logged:
            if UVICORN_GAVE_UP in line:
                return seconds
        raise AssertionError(f"uvicorn did not say its grace ran out:\n{self.stderr}")

    def check_grace(self, grace: float) -> None:
        """uvicorn waited out this grace, and not a longer one."""
        ran_out = self.grace_ran_out()
        assert grace <= ran_out < grace + LOG_ALLOWANCE, f"grace ran out after {ran_out:.2f} s"


def sample_argv(request, sample: pathlib.Path, *args: str) -> list[str]:
    """The command that serves a sample folder: its Rust binary (built first, by the
    `rust_binaries` fixture) or its Python script."""
    if (sample / "Cargo.toml").is_file():
        return [str(request.getfixturevalue("rust_binaries") / sample.name), *args]
    return [sys.executable, str(sample / f"{sample.name}.py"), *args]


def default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def as_in_a_terminal() -> None:
    """In a started server's process: Ctrl+C's default (see launched), and Ctrl+C when the
    process that started it dies, also when it is killed (a stopped test run leaves no server
    behind; the group's other processes, if any, are not told)."""
    default_sigint()
    stop_with_parent()


class NotServing(RuntimeError):
    """A server that exited, or was not ready in time; the message names its command."""


@dataclasses.dataclass
class Started:
    process: subprocess.Popen
    port: int
    first_line: str  # its `Listening on` line ("" for a server whose readiness was probed)
    seconds: float  # from the start of the process to the moment it was ready


def listening_message(line: str) -> str:
    """The line, or the message of a JSON log line: the Production page's services log
    `Listening on ...` as their first JSON line."""
    if line.startswith("{"):
        with contextlib.suppress(ValueError, KeyError, TypeError):
            return json.loads(line)["message"] + "\n"
    return line


def wait_listening(process: subprocess.Popen, timeout: float) -> tuple[int, str]:
    """The port of the server's first line, `Listening on http://127.0.0.1:PORT`."""
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    first_line = process.stdout.readline() if ready else ""
    match = LISTENING.fullmatch(listening_message(first_line))
    if not match:
        raise NotServing(
            f"did not print `Listening on ...` within {timeout} s; it printed {first_line!r}"
        )
    return int(match[1]), first_line


def wait_answering(
    process: subprocess.Popen,
    port: int,
    ready: tuple[str, bytes | None],
    timeout: float,
    poll: float,
) -> None:
    """Until GET `ready[0]` answers `ready[1]` (any answer for None)."""
    path, body = ready
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1) as answer:
                got = answer.read()
        except OSError:  # refused, reset, or an error status: not serving yet
            if process.poll() is not None:
                raise NotServing(f"exited with {process.returncode} before it served") from None
            if time.monotonic() > deadline:
                raise NotServing(f"did not answer GET {path} within {timeout} s") from None
            time.sleep(poll)
            continue
        if body is not None and got != body:
            raise NotServing(f"answered GET {path} with {got[:80]!r}, not {body!r}")
        return


@contextlib.contextmanager
def launched(
    argv: list,
    *,
    ready: tuple[str, bytes | None] | None = None,
    port: int = 0,
    timeout: float = 30,
    poll: float = 0.1,
    stdout=subprocess.PIPE,
    stderr=subprocess.DEVNULL,
    env: dict[str, str] | None = None,
    grace: float | None = None,
) -> Iterator[Started]:
    """The one way tests and `./dev bench` start a server: `argv` (str or path-like items) in
    a process group of its own, from the repository root, until it serves. With `ready` None
    that is its first line, `Listening on http://127.0.0.1:PORT` (stdout must be a pipe); with
    `ready` a (path, body) pair, when GET path on `port` (which `argv` names) answers body
    (anything, for None), polled every `poll` s. Raises NotServing if it exits first or takes
    longer than `timeout` s. On leaving, its group gets SIGINT and `grace` s to exit before
    SIGKILL; with `grace` None, what is still running is killed at once (a test that
    meant to stop it has)."""
    started = time.monotonic()
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=stderr,
        env=env,
        text=True,
        start_new_session=True,  # its own process group: `cargo run` and its child stop together
        # As in a terminal: a run started in the background (`cmd &` in a script) has SIGINT
        # ignored, and children would inherit that and never stop on Ctrl+C (the
        # standard-library sample relies on SIGINT's default).
        preexec_fn=as_in_a_terminal,
    )
    try:
        try:
            if ready is None:
                port, first_line = wait_listening(process, timeout)
            else:
                wait_answering(process, port, ready, timeout, poll)
                first_line = ""
        except NotServing as error:
            raise NotServing(f"{' '.join(map(os.fspath, argv))} {error}") from None
        yield Started(process, port, first_line, time.monotonic() - started)
    finally:
        if grace is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=grace)
        # Whatever of its group is left (a child that outlived it, which left_behind reports).
        # A group's number is not given out again while it has a process; once it is empty, only
        # after the kernel has handed out every other pid (32768 here): not within a test.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        # Waited for, not read: running()'s thread may be reading its stdout to the end.
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)


@contextlib.contextmanager
def running(
    argv: list[str], timeout: float = 30, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Run `argv` (which must bind port 0) until it prints its `Listening on` line; `env`
    adds to the environment it inherits."""
    # A file, not a pipe (see Server.stderr_file); read for the message if it never serves.
    with tempfile.TemporaryFile("w+") as stderr, contextlib.ExitStack() as stack:
        try:
            environment = {**os.environ, **env} if env else None
            started = stack.enter_context(
                launched(argv, timeout=timeout, stderr=stderr, env=environment)
            )
        except NotServing as error:
            stderr.seek(0)
            raise AssertionError(f"{error}, stderr: {stderr.read()}") from None
        server = Server(started.process, started.port, started.first_line, stderr)
        server.reader = threading.Thread(target=drain, args=(server,), daemon=True)
        server.reader.start()
        yield server


def drain(server: Server) -> None:
    for line in server.process.stdout:
        server.stdout_lines.append(line)


def in_thread(coroutine, timeout: float):
    """asyncio.run in a thread of its own: Playwright's sync API may hold this thread's loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=timeout)


def check_listening_output(outputs, path, exit_status: int = 0) -> None:
    """A server's output file: run its command on a free port instead of the one shown, stop
    it as Ctrl+C does, and compare all it printed, with the port put back, and its exit."""
    (step,) = transcripts.read(path)
    argv = transcripts.argv(step.command)
    shown_port = argv[-1]
    with running([*argv[:-1], "0"], timeout=120) as server:
        stopped = server.stop(signal.SIGINT)
    if stopped.status != exit_status:
        pytest.fail(
            f"`{step.command}` exited with {stopped.status} on Ctrl+C, not {exit_status}:\n"
            f"{stopped.stderr}",
            pytrace=False,
        )
    printed = (stopped.stdout + stopped.stderr).replace(f":{server.port}", f":{shown_port}")
    outputs.check(path, [printed])


def stop_with_a_request_in_progress(server: "Server", client: str) -> "Stopped":
    """SIGTERM while one of http_probes.IN_PROGRESS's clients holds a request open."""
    with contextlib.closing(http_probes.IN_PROGRESS[client](server.port, "/health")):
        return server.stop(signal.SIGTERM)


def left_behind(server: "Server") -> list[str]:
    """What is left of a stopped server: any process of its group still alive (a worker that
    outlived its parent, a child of `cargo run`) and the port, if anything still listens on
    it. SO_REUSEADDR, as servers bind: connections the server closed may sit in TIME_WAIT,
    which says nothing about the listening socket."""
    left = []
    for process in psutil.process_iter(["pid", "status", "cmdline"]):
        with contextlib.suppress(psutil.Error, ProcessLookupError):
            if (
                os.getpgid(process.pid) == server.process.pid
                and process.info["status"] != psutil.STATUS_ZOMBIE
            ):
                left.append(f"process {process.pid}: {' '.join(process.info['cmdline'] or [])}")
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", server.port))
            sock.listen()
        except OSError:
            left.append(f"port {server.port} still bound")
    return left


def out_of_descriptors(argv: list[str], files: int = 48) -> None:
    """Run `argv` with an open-files limit of `files` and more clients than that: accept
    fails (EMFILE), and a loop that retried at once would spin on a core (libuv, under
    uvloop, accepts and drops such clients instead). Once they leave, the server must answer
    again. A server with a short listen queue (socketserver's backlog of 5, which holds six
    on Linux) fills that too, and the kernel then drops the next client's SYN until it
    accepts again: a connection not made in 2 s (the kernel tries again after 1 s) means the
    server is out, and no more clients come. The 2 ms between clients let such a server take
    each before the next arrives, where a full queue would cost that client a second."""
    limited = ["prlimit", f"--nofile={files}:{files}", *argv]
    with running(limited) as server, contextlib.ExitStack() as clients:
        connected = 0
        for _ in range(files + 20):
            try:
                address = ("127.0.0.1", server.port)
                clients.enter_context(socket.create_connection(address, timeout=2))
            except TimeoutError:
                break
            connected += 1
            time.sleep(0.002)
        # Past what the server can hold open, or the test proves nothing.
        assert connected >= files - 8, f"only {connected} clients connected: never ran out"
        processes = tree(server.process)  # gunicorn's worker is the one that accepts
        time.sleep(1)  # it takes what it can, then runs out
        before = cpu_by_pid(processes)
        time.sleep(3)
        busy = cpu_since(before, processes)
        assert busy < 0.5, f"{busy:.2f} CPU seconds in 3 s, out of descriptors: it spins"
        clients.close()
        deadline = time.monotonic() + 10
        while not re.fullmatch(r"\d{3} .*", answer := http_probes.good_request(server.port)):
            assert time.monotonic() < deadline, f"no answer once the clients left: {answer}"
            time.sleep(0.2)
        assert server.process.poll() is None
