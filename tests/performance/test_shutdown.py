"""Every server sample stops within its 2-second grace period (and a second for the process
itself) of Ctrl+C or SIGTERM, whatever its clients do, as the Performance page says; uvicorn
needs up to 5 s with a client that sends megabytes of requests and reads none of the answers,
which the page says too. With that client uvicorn gives up on the request in progress once the
2 s have run out (its log says when) and logs the traceback of a request cancelled mid-answer,
as the page says; nothing else prints a traceback or a panic.

Graceful shutdown that waits for every connection to finish can wait forever: one client that
connects and says nothing is enough. Each sample bounds the wait (2 s), and these tests hold a
client of each awkward kind open while the signal arrives: a half-sent request and answers
never read are in progress, so a longer grace shows here.
"""

import contextlib
import signal
import socket
import subprocess

import pytest

from harness import http_probes
from harness.servers import (
    AWKWARD_STOP_BOUND,
    GRACE,
    STOP_BOUND,
    UVICORN_GAVE_UP,
    left_behind,
    running,
)

SERVERS = ["rust", "python", "stdlib"]
# Each case holds awkward clients open for seconds: the full run's, not the quick loop's.
pytestmark = pytest.mark.slow


def silent(port: int) -> socket.socket:
    """Connects and never sends a byte."""
    return socket.create_connection(("127.0.0.1", port))


def mid_request(port: int) -> socket.socket:
    """Sends half a request head and stops."""
    return http_probes.half_sent_head(port)


def idle_keep_alive(port: int) -> socket.socket:
    """Has its answer and keeps the connection open for the next request."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(http_probes.GOOD)
    assert http_probes.answer(sock) == "200 OK"
    return sock


def slow_reader(port: int) -> socket.socket:
    """Sends many requests and reads none of the answers, until the server's writes block."""
    return http_probes.unread_answers(port)


CLIENTS = [silent, mid_request, idle_keep_alive, slow_reader]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("client", CLIENTS, ids=[c.__name__ for c in CLIENTS])
@pytest.mark.parametrize("server", SERVERS)
def test_stops_within_its_grace_period_whatever_the_client_does(server, client, sig, hello_argv):
    # The one case the page gives more time: uvicorn with answers it cannot write.
    slow = (server, client) == ("python", slow_reader)
    bound = AWKWARD_STOP_BOUND if slow else STOP_BOUND
    with running(hello_argv(server)) as process, contextlib.closing(client(process.port)):
        stopped = process.stop(sig)
        assert stopped.seconds < bound, f"stopped after {stopped.seconds:.1f} s"
    assert stopped.status == 0, stopped.stderr
    assert left_behind(process) == []
    cancelled = 0
    if slow:  # the exit's time hides the grace under uvicorn's teardown; its log shows it
        stopped.check_grace(GRACE)
        # A request the app was answering ends in a traceback; one not yet started does not.
        cancelled = stopped.stderr.count(f"CancelledError: Task cancelled, {UVICORN_GAVE_UP}")
    assert stopped.stderr.count("Traceback") == cancelled, stopped.stderr
    assert "panicked" not in stopped.stderr, stopped.stderr


@pytest.mark.parametrize("server", SERVERS)
def test_a_port_in_use_is_one_line_of_error(server, hello_argv):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*hello_argv(server)[:-1], str(port)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use"
    )
    assert done.stderr.count("\n") == 1, done.stderr
