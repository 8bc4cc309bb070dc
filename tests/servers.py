"""Start a sample server as a real process and stop it, whatever the test does."""

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import http.client
import os
import re
import select
import signal
import subprocess
from typing import Iterator

from tests import transcripts
from tests.transcripts import ROOT

LISTENING = re.compile(r"Listening on http://127\.0\.0\.1:(\d+)\n")


@dataclasses.dataclass
class Server:
    process: subprocess.Popen
    port: int
    first_line: str

    def request(self, method: str = "GET", path: str = "/", body: bytes | None = None):
        """One request on a fresh connection; returns (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body)
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def stop(self, sig: int = signal.SIGINT, timeout: float = 5) -> tuple[int, str]:
        """Signal the process group, as Ctrl+C in a terminal does; returns (status, stderr)."""
        os.killpg(self.process.pid, sig)
        _, stderr = self.process.communicate(timeout=timeout)
        return self.process.returncode, stderr


@contextlib.contextmanager
def running(argv: list[str], timeout: float = 30) -> Iterator[Server]:
    """Run `argv` (which must bind port 0) until it prints its `Listening on` line."""
    process = subprocess.Popen(
        argv,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: `cargo run` and its child stop together
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        first_line = process.stdout.readline() if ready else ""
        match = LISTENING.fullmatch(first_line)
        if not match:
            process.kill()
            _, stderr = process.communicate(timeout=10)
            raise AssertionError(
                f"{' '.join(argv)} did not print `Listening on ...` within {timeout} s; "
                f"it printed {first_line!r}, stderr: {stderr}"
            )
        yield Server(process, int(match[1]), first_line)
    finally:
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.communicate(timeout=10)


def in_thread(coroutine, timeout: float):
    """asyncio.run in a thread of its own: Playwright's sync API may hold this thread's loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=timeout)


def check_listening_output(path, update: bool) -> None:
    """A server's output file: run its command on a free port instead of the one shown, stop
    it as Ctrl+C does, and compare its `Listening on` line with the port put back."""
    (step,) = transcripts.read(path)
    argv = transcripts.argv(step.command)
    shown_port = argv[-1]
    with running([*argv[:-1], "0"], timeout=120) as server:
        server.stop(signal.SIGINT)
    transcripts.check(path, update, [server.first_line.replace(f":{server.port}", f":{shown_port}")])
