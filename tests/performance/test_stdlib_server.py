"""The standard-library baseline of the Performance page's benchmark."""

import signal
import sys

from tests.servers import check_listening_output, running
from tests.transcripts import ROOT

SAMPLE = ROOT / "snippets/performance/stdlib_server"


def test_answers_like_the_other_servers():
    with running([sys.executable, str(SAMPLE / "stdlib_server.py"), "0"]) as server:
        for method in ("GET", "POST", "PUT", "DELETE"):
            status, headers, body = server.request(method, "/any/path", b"x" if method != "GET" else None)
            assert (status, body) == (200, b"Hello, world!")
            assert headers["content-type"] == "text/plain; charset=utf-8"
        status, stderr = server.stop(signal.SIGINT)
    assert status == 0 and stderr == ""


def test_output_shown_on_the_page(update_outputs):
    check_listening_output(SAMPLE / "output.python.txt", update_outputs)
