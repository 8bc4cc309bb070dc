"""The harness's own checks fail on the defects they name."""

import ast
import datetime
import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from harness import reader_view, support
from harness.reader_view import shown
from harness.servers import UVICORN_GAVE_UP, left_behind, running, written
from harness.support import PAGES, ROOT

# Serves on a free port, and forks a child that ignores Ctrl+C and keeps the listening
# socket: what a worker that outlives its parent looks like.
LINGERING = """
import os, signal, socket, time
sock = socket.create_server(("127.0.0.1", 0))
signal.signal(signal.SIGINT, signal.SIG_IGN)
if os.fork() == 0:
    os.close(1)
    time.sleep(30)
    os._exit(0)
signal.signal(signal.SIGINT, signal.default_int_handler)
print(f"Listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
time.sleep(30)
"""


def test_a_stop_that_leaves_a_process_holding_the_port_is_seen():
    with running([sys.executable, "-c", LINGERING]) as server:
        stopped = server.stop(signal.SIGINT)
        left = left_behind(server)
    assert stopped.stderr.rstrip().endswith("KeyboardInterrupt")  # the parent stopped
    assert len(left) == 2 and left[0].startswith("process ") and "still bound" in left[1], left


# Starts a server as the tests do and prints its process id, then waits to be killed.
STARTS_A_SERVER = """
import sys, time
from harness.servers import running
SERVES = (
    "import socket, time; sock = socket.create_server(('127.0.0.1', 0)); "
    "print(f'Listening on http://127.0.0.1:{sock.getsockname()[1]}', flush=True); time.sleep(30)"
)
with running([sys.executable, "-c", SERVES]) as server:
    print(server.process.pid, flush=True)
    time.sleep(30)
"""


def test_a_server_stops_when_the_test_process_that_started_it_is_killed():
    """A run stopped by a signal it cannot handle (a killed worker, a CI time-out) leaves no
    server of its tests running."""
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTS_A_SERVER], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    with starter:
        server = psutil.Process(int(starter.stdout.readline()))
        starter.kill()
    try:
        server.wait(timeout=5)
    except psutil.TimeoutExpired:
        server.kill()
        pytest.fail("the server was still running 5 s after the process that started it died")


# Logs a line 0.6 s after Ctrl+C and exits 0.6 s later: a grace that runs out before a slow exit.
SLOW_TO_EXIT = """
import socket, sys, time
sock = socket.create_server(("127.0.0.1", 0))
print(f"Listening on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
print("before the signal", file=sys.stderr, flush=True)
try:
    time.sleep(30)
except KeyboardInterrupt:
    time.sleep(0.6)
    print("timeout graceful shutdown exceeded", file=sys.stderr, flush=True)
    time.sleep(0.6)
"""


def test_a_stop_times_what_the_server_logs_apart_from_its_exit():
    with running([sys.executable, "-c", SLOW_TO_EXIT]) as server:
        time.sleep(0.2)  # the first line is in before the signal
        stopped = server.stop(signal.SIGINT)
    assert [line for _, line in stopped.logged] == ["timeout graceful shutdown exceeded"]
    assert 0.6 <= stopped.grace_ran_out() < 1.0 <= stopped.seconds, stopped


def test_a_shown_file_that_no_process_recorded_is_reported(tmp_path, monkeypatch):
    """What the end of a whole run holds every page to (conftest.py's sessionfinish)."""
    monkeypatch.setenv(support.RECORD, str(tmp_path))
    files = [path for page in PAGES for _, path in shown(page) if path is not None]
    missing = files[0]
    support.checked(*(path for path in files if path != missing))
    reported = reader_view.unchecked(tmp_path)
    assert reported and all(str(missing.relative_to(ROOT)) in line for line in reported)
    support.checked(missing)
    assert reader_view.unchecked(tmp_path) == []


def test_a_test_that_leaves_the_environment_changed_is_seen(monkeypatch, tmp_path):
    """What conftest.py holds every test to after its teardown: the PyO3 fixture used to set
    PYTHONPATH for the rest of the session."""
    before = support.process_state()
    os.environ["LEFT_BEHIND"] = "1"
    with pytest.raises(AssertionError, match=r"\$LEFT_BEHIND: None -> '1'"):
        support.unchanged_since(before)
    del os.environ["LEFT_BEHIND"]
    sys.path.insert(0, str(tmp_path))
    with pytest.raises(AssertionError, match="sys.path"):
        support.unchanged_since(before)
    sys.path.remove(str(tmp_path))
    monkeypatch.setenv("LEFT_BEHIND", "2")
    monkeypatch.undo()  # undone before the end: fine
    support.unchanged_since(before)


def test_a_line_is_timed_by_its_own_time_stamp_where_the_log_has_one():
    """A JSON log line (the Production service's) carries when the server wrote it: a test
    process slow to read it does not move uvicorn's grace; a plain line is timed as it is seen."""
    signalled = datetime.datetime(2026, 12, 6, 3, 44, 41, tzinfo=datetime.UTC).timestamp()
    stamped = json.dumps({"timestamp": "2026-12-06T03:44:43.250000Z", "message": UVICORN_GAVE_UP})
    assert written(stamped, 4.1, signalled) == pytest.approx(2.25)
    assert written(f"ERROR: Cancel 1 running task(s), {UVICORN_GAVE_UP}", 4.1, signalled) == 4.1
    assert written('{"message": "no stamp"}', 4.1, signalled) == 4.1


def imports(path) -> set[str]:
    """The modules of this repository that a file imports, as `package.module`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {".".join(n.split(".")[:2]) for n in names if n.split(".")[0] in LAYERS}
    return found - set(LAYERS)


LAYERS = ("harness", "tools")


def test_the_harness_imports_no_tool_and_no_two_of_its_modules_import_each_other():
    """harness/ is the layer below tools/: the tools import it, never the other way, and no
    two of its modules import each other (a longer loop through three is not looked for)."""
    graph = {f"harness.{path.stem}": imports(path) for path in (ROOT / "harness").glob("*.py")}
    assert not {m: sorted(d) for m, d in graph.items() if any(x.startswith("tools") for x in d)}
    loops = [(a, b) for a, deps in graph.items() for b in deps if a in graph.get(b, set())]
    assert not loops, loops


def test_a_block_showing_part_of_a_file_is_not_run_on_its_own():
    """Its lines run as the whole file, in that file's block: on their own they would fail."""
    from harness.reader_view import ReaderViewParser

    include = '--8<-- "snippets/performance/stdlib_server/stdlib_server.py{}"'
    for section, runs in ((":accept", False), ("", True)):
        page = f'``` python title="x"\n{include.format(section)}\n```\n'
        (fence,) = [t for t in ReaderViewParser("commonmark").parse(page) if t.type == "fence"]
        assert ("notest" not in fence.info) == runs, (section, fence.info)
        assert ("def get_request" in fence.content) and ("[start:accept]" not in fence.content)
