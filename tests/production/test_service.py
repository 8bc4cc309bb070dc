"""The Production page's service, in Axum (snippets/production/service_axum) and in FastAPI
(service_fastapi), run as real processes: the Frameworks page's request suite, a log line per
request with the same fields in both, settings refused before it listens, stops within the
grace period (also while out of file descriptors), and in-process test suites that mirror each
other. The OpenAPI documents and the fuzzing are in test_openapi.py."""

import contextlib
import datetime
import http.client
import json
import re
import signal
import socket
import subprocess
import time

import pytest

from harness import http_probes, transcripts
from harness.servers import (
    ALLOWANCE,
    AWKWARD_STOP_BOUND,
    GRACE,
    STOP_BOUND,
    left_behind,
    out_of_descriptors,
    running,
    stop_with_a_request_in_progress,
)
from tests.frameworks.api import ANN, CASES, Case, call, is_error_shape
from tests.production.conftest import FREE_PORT, PRODUCTION, SERVICES, services


@pytest.fixture(params=services())
def service(request, service_argv):
    with running(service_argv(request.param), env=FREE_PORT) as server:
        server.name = request.param
        yield server


def field(answer) -> str | None:
    return answer.json.get("field") if isinstance(answer.json, dict) else None


@pytest.mark.slow
def test_both_give_every_request_of_the_frameworks_suite_the_same_answer(both):
    """The same status and, for an error, the same shape naming the same field; only the
    messages' words differ (pydantic's against the Rust sample's own)."""
    for name, case in CASES.items():
        axum, fastapi = (call(server.port, case) for server in both.values())
        assert (axum.status, field(axum)) == (fastapi.status, field(fastapi)), name
        if axum.status >= 400:
            assert is_error_shape(axum) and is_error_shape(fastapi), name
        else:
            assert axum.json == fastapi.json, name


# The requests whose log lines the page shows, each with the id a proxy would have set.
REQUESTS = [
    ("req-1", Case("POST", "/users", json.dumps(ANN).encode()), 201),
    ("req-2", Case("GET", "/users/1"), 200),
    ("req-3", Case("GET", "/users/7"), 404),
]


def send(port: int, case: Case, request_id: str) -> tuple[int, str | None]:
    """The status, and the request id the answer carries back."""
    headers = {"x-request-id": request_id, "content-type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(case.method, case.path, body=case.body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, response.getheader("x-request-id")
    finally:
        conn.close()


def flat(line: dict) -> dict:
    """A log line's fields, with tracing's span (the fields of the request being served)
    lifted to the top, where Python's logging puts them."""
    span = line.pop("span", {})
    span.pop("name", None)
    return line | span


def logged(argv: list[str]) -> str:
    """What the service printed while it served REQUESTS, shown with its default port."""
    with running(argv, env=FREE_PORT) as server:
        for request_id, case, status in REQUESTS:
            assert send(server.port, case, request_id) == (status, request_id), case
        stopped = server.stop()
    assert stopped.status == 0, stopped.stderr
    return stopped.stdout.replace(f":{server.port}", ":3000")


def without_timing(text: str) -> str:
    """Timestamps and latencies without their values; their form is still compared
    (microseconds, a latency to three decimals at most)."""

    def zeroed(match: re.Match) -> str:
        return match[1] + re.sub(r"\d", "0", match[2])

    text = re.sub(r'("timestamp":")([^"]+)', zeroed, text)
    # Milliseconds to three decimals at most (a trailing zero is not printed).
    return re.sub(r'"latency_ms":\d+(\.\d{1,3})?(?=[,}])', '"latency_ms":0', text)


@pytest.mark.slow
def test_every_request_is_logged_once_with_the_same_fields(service_argv, outputs):
    keys = {}
    for name, sample in SERVICES.items():
        printed = logged(service_argv(name))
        lines = [flat(json.loads(line)) for line in printed.splitlines()]
        assert lines[0]["message"] == "Listening on http://127.0.0.1:3000", name
        for request_id, case, status in REQUESTS:
            (line,) = [
                x for x in lines if (x["message"], x.get("request_id")) == ("request", request_id)
            ]
            assert (line["method"], line["path"], line["status"]) == (
                case.method,
                case.path,
                status,
            )
            assert line["level"] == "INFO" and line["latency_ms"] >= 0, line
        (created,) = [x for x in lines if x["message"] == "user created"]
        assert (created["user_id"], created["request_id"], created["path"]) == (
            1,
            "req-1",
            "/users",
        )
        # Who logged it: tracing's `target` (a module), logging's `logger` (a name).
        keys[name] = {x["message"]: set(x) - {"target", "logger"} for x in lines}
        outputs.printed(PRODUCTION / sample / "logged.txt", printed, without_timing)
    axum, fastapi = keys.values()
    assert axum == fastapi


BAD_SETTINGS = [
    ("APP_PORT", "eighty"),
    ("APP_PORT", "70000"),
    ("APP_LOG_LEVEL", "loud"),
    ("APP_GRACE_SECONDS", "100"),
    ("APP_GRACE_SECONDS", "nan"),
]


@pytest.mark.parametrize(("variable", "value"), BAD_SETTINGS)
@pytest.mark.parametrize("name", services())
def test_a_setting_that_does_not_fit_stops_it_before_it_listens(
    name, variable, value, service_argv
):
    done = subprocess.run(
        service_argv(name),
        env=transcripts.environment({variable: value}),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1, done
    assert done.stdout == "", "it started before it refused the setting"
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr, done.stderr
    # figment names the variable without its prefix (key "PORT"), main.py and the Rust
    # range check with it (APP_PORT=).
    named = (f'key "{variable.removeprefix("APP_")}"', f"{variable}=", f"{variable} ")
    assert any(name in done.stderr for name in named), done.stderr


@pytest.mark.parametrize("name", services())
def test_every_bad_setting_is_named_in_python_only_the_first_in_rust(name, service_argv):
    """The page: pydantic reports every field that does not fit, figment stops at the first."""
    bad = {"APP_PORT": "eighty", "APP_LOG_LEVEL": "loud", "APP_GRACE_SECONDS": "nan"}
    done = subprocess.run(
        service_argv(name),
        env=transcripts.environment(bad),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1, done
    named = [
        variable
        for variable in bad
        if f"{variable}=" in done.stderr or f'key "{variable.removeprefix("APP_")}"' in done.stderr
    ]
    if name == "FastAPI":
        assert named == list(bad), done.stderr
    else:
        assert len(named) == 1, done.stderr


@pytest.mark.parametrize("name", services())
def test_a_port_in_use_is_refused_with_the_reason(name, service_argv):
    with running(service_argv(name), env=FREE_PORT) as first:
        done = subprocess.run(
            service_argv(name),
            env=transcripts.environment({"APP_PORT": str(first.port)}),
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert done.returncode == 1 and "Address already in use" in done.stderr, done


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("client", http_probes.IN_PROGRESS)
def test_stops_within_the_grace_period(service, client, sig):
    # uvicorn with answers it cannot write: the Performance page's 5 s (AWKWARD_STOP_BOUND).
    uvicorn = service.name == "FastAPI" and client == "answers never read"
    with contextlib.closing(http_probes.IN_PROGRESS[client](service.port, "/health")):
        stopped = service.stop(sig)
    assert stopped.status == 0, stopped.stderr
    assert stopped.seconds < (AWKWARD_STOP_BOUND if uvicorn else STOP_BOUND), stopped.seconds
    assert left_behind(service) == []
    if uvicorn:  # the exit's time hides the grace under uvicorn's teardown; its log shows it
        stopped.check_grace(GRACE)


@pytest.mark.slow
@pytest.mark.parametrize("client", http_probes.IN_PROGRESS)
@pytest.mark.parametrize("name", services())
def test_a_shorter_grace_period_is_honoured(name, client, service_argv):
    grace = 0.5
    # uvicorn with answers it cannot write gives up on them after the grace and 0.1-0.5 s of
    # its own ticks (its log says when), then cancels them and tears down: 1.3 to 1.8 s from
    # the signal to the exit here, even beside two CPU burners, once 4.6 s in a full run. So
    # its log holds the grace, and its exit the bound of the Frameworks page (5 s).
    uvicorn = name == "FastAPI" and client == "answers never read"
    with running(service_argv(name), env=FREE_PORT | {"APP_GRACE_SECONDS": str(grace)}) as s:
        stopped = stop_with_a_request_in_progress(s, client)
    assert stopped.status == 0, stopped.stderr
    assert stopped.seconds < (AWKWARD_STOP_BOUND if uvicorn else grace + ALLOWANCE), stopped.seconds
    if uvicorn:
        stopped.check_grace(grace)


@pytest.mark.slow
@pytest.mark.parametrize("name", services())
def test_out_of_file_descriptors_it_waits_and_recovers(name, service_argv, monkeypatch):
    monkeypatch.setenv("APP_PORT", "0")  # the port, as the services take it
    out_of_descriptors(service_argv(name))


# Out of file descriptors, how long the Axum service waits before it accepts again (main.rs).
BACK_OFF = 1.0


def back_off_began(server, within: float = 0.25, timeout: float = 15) -> float:
    """When the server began a back-off (the time stamp of its `accept failed` line), for a
    line written less than `within` s ago: a stop sent now comes early in the back-off."""
    seen = len(server.stdout_lines)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fresh = server.stdout_lines[seen:]
        seen += len(fresh)
        for line in fresh:
            logged = json.loads(line)
            if logged["message"].startswith("accept failed"):
                began = datetime.datetime.fromisoformat(logged["timestamp"]).timestamp()
                if time.time() - began < within:
                    return began
        time.sleep(0.01)
    raise AssertionError(f"no `accept failed` line within {timeout} s:\n{server.stdout()}")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_stop_during_the_accept_back_off_is_not_delayed(service_argv, sig):
    """Out of file descriptors (as in out_of_descriptors), the Axum service waits a second
    before it accepts again; a stop in that second ends the wait, so it exits before the
    second is up. (uvicorn has no such wait: uvloop accepts and drops the clients.)"""
    files = 48
    limited = ["prlimit", f"--nofile={files}:{files}", *service_argv("Axum")]
    with running(limited, env=FREE_PORT) as server, contextlib.ExitStack() as clients:
        for _ in range(files + 20):
            clients.enter_context(socket.create_connection(("127.0.0.1", server.port)))
        began = back_off_began(server)
        stopped = server.stop(sig)
        exited = time.time()  # at the latest
    assert stopped.status == 0, stopped.stderr
    took = exited - began
    assert took < BACK_OFF, f"exited {took:.2f} s after its {BACK_OFF} s back-off began"
    assert left_behind(server) == []


def test_the_in_process_tests_are_the_same_in_both_languages():
    """The page shows them side by side: the same tests, by name, in the same order."""
    rust = (PRODUCTION / "service_axum/tests/users.rs").read_text()
    python = (PRODUCTION / "service_fastapi/test_users.py").read_text()
    rust_tests = re.findall(r"#\[tokio::test\]\s+async fn (\w+)", rust)
    python_tests = re.findall(r"^def test_(\w+)\(", python, re.MULTILINE)
    assert rust_tests == python_tests and len(rust_tests) == 5
