"""The spans sample: which events of a request's handler carry the request's fields, in
`tracing` (Rust) and in `logging` with a ContextVar (Python), for the work the handler hands
to a task or a thread. Its output files show the lines; this holds which carry the fields."""

import json
import subprocess
import sys

import pytest

from harness import transcripts
from harness.support import sample_of

SAMPLE = sample_of(__file__)
REQUEST = {"method": "POST", "path": "/users", "request_id": "req-1"}
# Each event, in the order logged, and whether it carries the request's fields.
CARRIED = {
    "rust": {
        "in the handler": True,
        "in tokio::spawn": False,
        "in tokio::spawn, in_current_span": True,
        "in spawn_blocking": False,
        "in spawn_blocking, span entered": True,
    },
    "python": {
        "in the handler": True,
        "in asyncio.create_task": True,
        "in asyncio.to_thread": True,
        "in loop.run_in_executor": False,
    },
}


def fields(line: dict) -> dict:
    """The request's fields on a log line: under `span` in tracing's, at the top in
    logging's."""
    where = line.get("span", line)
    return {key: where[key] for key in REQUEST if key in where}


@pytest.mark.parametrize("language", [pytest.param("rust", marks=pytest.mark.slow), "python"])
def test_which_events_carry_the_request(language, request):
    if language == "rust":
        argv = [str(request.getfixturevalue("rust_binaries") / SAMPLE.name)]
    else:
        argv = [sys.executable, str(SAMPLE / f"{SAMPLE.name}.py")]
    done = subprocess.run(
        argv,
        cwd=transcripts.ROOT,
        env=transcripts.environment({}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (0, ""), done
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    carried = {line["message"]: fields(line) == REQUEST for line in lines}
    assert list(carried.items()) == list(CARRIED[language].items())
    # A line has the request's fields whole, or none of them.
    assert all(fields(line) in (REQUEST, {}) for line in lines), lines
