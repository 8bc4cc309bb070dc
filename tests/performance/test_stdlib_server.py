"""The standard-library baseline of the Performance page's benchmark."""

import contextlib
import signal
import socket
import struct
import sys
import time

import pytest

from harness.servers import check_listening_output, out_of_descriptors, running
from harness.support import sample_of

SAMPLE = sample_of(__file__)
ARGV = [sys.executable, str(SAMPLE / "stdlib_server.py"), "0"]


def test_answers_like_the_other_servers():
    with running(ARGV) as server:
        for method in ("GET", "POST", "PUT", "DELETE"):
            status, headers, body = server.request(
                method, "/any/path", b"x" if method != "GET" else None
            )
            assert (status, body) == (200, b"Hello, world!")
            assert headers["content-type"] == "text/plain; charset=utf-8"
        status, _, stderr, *_ = server.stop(signal.SIGINT)
    assert status == 0 and stderr == ""


def test_a_client_that_hangs_up_prints_no_traceback():
    """socketserver prints a ConnectionResetError traceback for each; the sample does not."""
    with running(ARGV) as server:
        for _ in range(10):
            sock = socket.create_connection(("127.0.0.1", server.port))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 3)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()  # a reset, not a polite close, while the server writes its answers
        time.sleep(0.5)
        assert server.request()[0] == 200
        status, _, stderr, *_ = server.stop(signal.SIGINT)
    assert status == 0 and stderr == ""


@pytest.mark.slow
def test_out_of_file_descriptors_it_waits_and_recovers():
    """socketserver (3.11) drops accept's EMFILE without a word (_handle_request_noblock's
    `except OSError: return`) and polls again at once (serve_forever), and the poll reports
    the queued client again: without the sample's second of waiting it spins on a core."""
    out_of_descriptors(ARGV)


OUT = "accept failed, retrying in 1 s: [Errno 24] Too many open files"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stop_during_the_wait_is_not_delayed(sig):
    """Out of file descriptors, it waits a second before it accepts again; a stop in that
    second ends the wait. 16 descriptors: 12 clients taken (stdin, stdout, stderr and the
    listening socket hold the other 4), the rest queued, within the six the queue holds."""
    limited = ["prlimit", "--nofile=16:16", *ARGV]
    with running(limited) as server, contextlib.ExitStack() as clients:
        for _ in range(16):
            clients.enter_context(socket.create_connection(("127.0.0.1", server.port), 5))
        deadline = time.monotonic() + 10
        while OUT not in server.stderr():  # printed just before the wait
            assert time.monotonic() < deadline, f"it did not run out: {server.stderr()}"
            time.sleep(0.01)
        stopped = server.stop(sig)
    # The line is seen within about 10 ms of its writing, so a wait not cut short would
    # take more than 0.9 s.
    assert stopped.seconds < 0.5, f"exited {stopped.seconds:.2f} s after the signal"
    assert stopped.status == 0
    assert set(stopped.stderr.splitlines()) == {OUT}


def test_output_shown_on_the_page(outputs):
    check_listening_output(outputs, SAMPLE / "output.python.txt")
