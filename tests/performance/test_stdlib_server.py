"""The standard-library baseline of the Performance page's benchmark."""

import signal
import socket
import struct
import sys
import time

from harness.servers import check_listening_output, running
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


def test_output_shown_on_the_page(outputs):
    check_listening_output(outputs, SAMPLE / "output.python.txt")
