"""A bug in a handler (an index past the end of a list): what a client gets from Axum, with
and without tower-http's CatchPanicLayer, and from FastAPI, and that each goes on serving.
The page shows the answers as a table (snippets/production/handler_panic/answers.md), written
from this run."""

import http.client
import re
import sys

import pytest

from harness.servers import running, sample_argv
from harness.support import sample_of
from harness.transcripts import GENERATED

SAMPLE = sample_of(__file__)
TABLE = SAMPLE / "answers.md"
# Under each column, the path prefix it serves the handler at.
COLUMNS = {
    "Axum, no CatchPanicLayer": "/unguarded",
    "Axum with CatchPanicLayer": "/guarded",
    "FastAPI": "",
}
ROWS = {
    "`GET .../names/1`": "/names/1",
    "`GET .../names/5`, past the end": "/names/5",
    "`GET .../names/-1`": "/names/-1",
    "the next request, `GET .../names/0`": "/names/0",
}


def answer(port: int, path: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read().decode()
    except http.client.RemoteDisconnected:
        return "the connection closes, no answer"
    finally:
        conn.close()
    kind = response.getheader("content-type", "").split(";")[0]
    return f"{response.status}, {kind}: `` {body} ``"


def first_error_line(stderr: str) -> str:
    """What the server wrote about the bug: Rust's panic message, Python's exception."""
    lines = stderr.splitlines()
    if any(line.startswith("Traceback") for line in lines):
        return next(line for line in reversed(lines) if line and not line.startswith(" "))
    (at,) = [i for i, line in enumerate(lines) if " panicked at " in line]
    where = re.sub(r"thread '([^']+)' \(\d+\)", r"thread '\1'", lines[at])
    return f"{where} {lines[at + 1]}"


@pytest.mark.slow
def test_what_a_client_gets_from_a_handler_that_panics(request, outputs):
    columns = {}
    rust = sample_argv(request, SAMPLE, "0")
    python = [sys.executable, str(SAMPLE / "handler_panic.py"), "0"]
    for column, prefix in COLUMNS.items():
        with running(python if column == "FastAPI" else rust) as server:
            answers = [answer(server.port, prefix + path) for path in ROWS.values()]
            assert server.process.poll() is None, "it stopped serving"
            stopped = server.stop()
        columns[column] = [*answers, f"`` {first_error_line(stopped.stderr)} ``"]
    unguarded, guarded, fastapi = columns.values()
    assert unguarded[1] == "the connection closes, no answer"
    assert guarded[1].startswith("500, text/plain") and fastapi[1].startswith("500, text/plain")
    assert all(column[3].startswith("200") for column in columns.values())

    rows = [*ROWS, "written to stderr"]
    lines = [GENERATED.format(test="tests/production/test_handler_panic.py"), ""]
    lines += ["| Request | " + " | ".join(COLUMNS) + " |", "| --- " * (len(COLUMNS) + 1) + "|"]
    for i, row in enumerate(rows):
        lines.append(f"| {row} | " + " | ".join(c[i] for c in columns.values()) + " |")
    outputs.file(TABLE, "\n".join(lines) + "\n")
