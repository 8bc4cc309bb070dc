"""The article's hyper 0.14 server, generics restored: it builds, serves, and shows its age."""

import signal
import socket
import subprocess

import pytest

from harness.servers import check_listening_output, running
from harness.support import sample_of

SAMPLE = sample_of(__file__)
pytestmark = pytest.mark.slow


def test_it_answers_hello(hello_argv):
    with running(hello_argv("article_server")) as server:
        status, headers, body = server.request("GET", "/anything")
        stopped = server.stop(signal.SIGINT)
    assert (status, body) == (200, b"Hello, world!")
    assert "content-type" not in {name.lower() for name in headers}
    # No shutdown handling: Ctrl+C ends it by the signal's default action, mid-request or not.
    assert stopped.status == -signal.SIGINT


def test_output_shown_on_the_page(rust_binaries, outputs):
    check_listening_output(outputs, SAMPLE / "output.rust.txt", exit_status=-signal.SIGINT)


def test_a_port_in_use_is_a_panic(hello_argv):
    """What the page says about `Server::bind`."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            [*hello_argv("article_server")[:-1], str(port)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": "/usr/bin:/bin"},  # no RUST_BACKTRACE: the message a reader sees
        )
    assert done.returncode == 101
    assert "panicked" in done.stderr and "Address already in use" in done.stderr
