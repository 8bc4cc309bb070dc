"""The users API of the Frameworks page: one request suite, every implementation.

Valid requests must get the same answers from all of them. Where the contract leaves room
(a duplicate key, a body sent without its Content-Type, the status for a non-integer id),
the behaviour table records what each one does, and the page shows the table.
"""

import concurrent.futures
import contextlib
import json
import signal
import socket
import time

import pytest

from harness import http_probes, transcripts
from harness.servers import (
    AWKWARD_STOP_BOUND,
    GRACE,
    STOP_BOUND,
    check_listening_output,
    left_behind,
    out_of_descriptors,
    running,
    sample_argv,
    stop_with_a_request_in_progress,
)
from harness.support import checked
from tests.frameworks.api import ANN, CASES, Case, call, is_error_shape
from tests.frameworks.conftest import FRAMEWORKS, IMPLEMENTATIONS, implementations
from tools.benchmark.render import names as listed

TABLE = FRAMEWORKS / "behaviour.md"
IDLE_TABLE = FRAMEWORKS / "idle.md"
# What a slow or silent client sends before it stops: nothing, or half a request head.
STALLS = {
    "a connection that sends nothing": b"",
    "a request head cut off halfway": b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n",
}
STALL_WAIT = 15.0
# When each closes a stalled connection, from the samples and the frameworks' sources: the
# samples' HEADER_TIMEOUT (hyper's header_read_timeout); Actix-web's client_request_timeout
# (5 s by default, then a 408); gunicorn's gthread worker waits 5 s for a new connection's
# first bytes (DEFAULT_WORKER_DATA_TIMEOUT, not a setting), then its keepalive (2 s), checked
# about once a second.
BOUNDS = {
    **{(n, stall): 10 for n in ("Axum", "Warp") for stall in STALLS},
    **{("Actix-web", stall): 5 for stall in STALLS},
    ("Flask", "a connection that sends nothing"): 7,
}


@pytest.fixture(params=implementations())
def service(request, users_argv):
    with running(users_argv(request.param)) as server:
        server.name = request.param
        yield server


@pytest.fixture(scope="module", params=implementations())
def shared_service(request):
    """One start per implementation for the cases that answer without changing anything a
    later case reads (errors, and what the contract leaves open)."""
    argv = sample_argv(request, FRAMEWORKS / IMPLEMENTATIONS[request.param], "0")
    with running(argv) as server:
        yield server


def answer(server, name: str):
    return call(server.port, CASES[name])


def test_valid_requests_get_the_same_answers_everywhere(service):
    health = call(service.port, Case("GET", "/health"))
    assert (health.status, health.content_type, health.json) == (
        200,
        "application/json",
        {"status": "ok"},
    )
    created = answer(service, "valid user")
    assert (created.status, created.content_type) == (201, "application/json")
    assert isinstance(created.json.pop("id"), int) and created.json == ANN
    first = call(service.port, Case("POST", "/users", json.dumps(ANN).encode()))
    user_id = first.json["id"]
    fetched = call(service.port, Case("GET", f"/users/{user_id}"))
    assert (fetched.status, fetched.content_type, fetched.json) == (
        200,
        "application/json",
        {"id": user_id, **ANN},
    )
    wide = answer(service, "name of 50 characters (é, 2 bytes each)")
    assert wide.status == 201 and wide.json["name"] == "é" * 50


@pytest.mark.parametrize(
    ("case", "status", "field"),
    [
        ("malformed JSON", 400, None),
        ("JSON array, not an object", 422, None),
        ("JSON number, not an object", 422, None),
        ("JSON null", 422, None),
        ("name is a number", 422, "name"),
        ("name missing", 422, "name"),
        ("empty name", 422, "name"),
        ("name of 51 characters", 422, "name"),
        ("email without @", 422, "email"),
        ("unknown id", 404, None),
        ("unmatched path", 404, None),
        ("unmatched method", 405, None),
    ],
)
def test_invalid_requests_get_the_contracts_errors(shared_service, case, status, field):
    got = answer(shared_service, case)
    assert is_error_shape(got), got
    assert (got.status, got.json["field"]) == (status, field), got


def test_a_wrong_method_is_told_the_right_one(shared_service):
    """RFC 9110: a 405 names the methods the resource has, in an Allow header."""
    got = answer(shared_service, "unmatched method")
    assert got.status == 405 and "GET" in (got.allow or "").replace(" ", "").split(","), got


@pytest.mark.parametrize("case", ["id not an integer", "JSON sent without Content-Type"])
def test_requests_the_contract_leaves_open_never_get_a_500(shared_service, case):
    got = answer(shared_service, case)
    assert 200 <= got.status < 500, got
    assert got.status in (200, 201) or is_error_shape(got), got


@pytest.mark.slow
def test_concurrent_posts_lose_and_duplicate_nothing(service):
    def create(i: int) -> int:
        user = {"name": f"user {i}", "email": f"u{i}@example.com"}
        got = call(service.port, Case("POST", "/users", json.dumps(user).encode()))
        assert got.status == 201, got
        return got.json["id"]

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(create, range(200), timeout=120))
    assert len(set(ids)) == 200
    for i, user_id in enumerate(ids):
        got = call(service.port, Case("GET", f"/users/{user_id}"))
        assert got.json == {"id": user_id, "name": f"user {i}", "email": f"u{i}@example.com"}


@pytest.mark.slow
def test_bad_input_never_brings_it_down(service):
    for name in http_probes.PROBES:
        http_probes.probe(service.port, name)
    ten_mib = Case("POST", "/users", b"[" + b"1," * (5 << 20) + b"1]")
    try:
        assert call(service.port, ten_mib).status < 500
    except ConnectionError:
        pass  # refused before it was all sent (Axum stops reading after 2 MB)
    http_probes.idle(service.port, wait=1)  # kept open or closed, both fine: it must answer
    assert call(service.port, Case("GET", "/health")).status == 200
    assert service.process.poll() is None


@pytest.mark.slow
@pytest.mark.parametrize("name", implementations())
def test_out_of_file_descriptors_it_waits_and_recovers(name, users_argv):
    out_of_descriptors(users_argv(name))


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stops_within_the_grace_period_with_an_idle_client(service, sig):
    """An open connection that never sends a request must not hold shutdown up."""
    with socket.create_connection(("127.0.0.1", service.port)):
        assert call(service.port, Case("GET", "/health")).status == 200
        stopped = service.stop(sig)
    assert stopped.status == 0, stopped.stderr
    assert stopped.seconds < STOP_BOUND, f"stopped {stopped.seconds:.2f} s after the signal"
    assert left_behind(service) == []


@pytest.mark.slow
@pytest.mark.parametrize("client", http_probes.IN_PROGRESS)
def test_stops_within_the_grace_period_with_a_request_in_progress(service, client):
    # uvicorn with answers it cannot write: the Performance page's 5 s (AWKWARD_STOP_BOUND).
    uvicorn = service.name.startswith("FastAPI") and client == "answers never read"
    bound = AWKWARD_STOP_BOUND if uvicorn else STOP_BOUND
    stopped = stop_with_a_request_in_progress(service, client)
    assert stopped.status == 0, stopped.stderr
    assert stopped.seconds < bound, f"stopped {stopped.seconds:.2f} s after the signal"
    assert left_behind(service) == []
    if uvicorn:  # the exit's time hides the grace under uvicorn's teardown; its log shows it
        stopped.check_grace(GRACE)


@pytest.mark.parametrize("name", implementations())
def test_listening_output_shown_on_the_page(name, users_argv, outputs):
    users_argv(name)  # builds Rust first, where it is Rust
    sample = FRAMEWORKS / IMPLEMENTATIONS[name]
    (path,) = sample.glob("output.*.txt")
    check_listening_output(outputs, path)


def cell(got) -> str:
    """The status, the field an error names, and what a duplicate key became."""
    text = str(got.status)
    if is_error_shape(got) and got.json["field"]:
        text += f" `{got.json['field']}`"
    elif got.status == 201:
        text += f", name {got.json['name']}" if got.json["name"] in ("Ann", "Bob") else ""
    elif not is_error_shape(got):
        text += f", {got.content_type or 'no content type'}, not the error shape"
    return text


@pytest.mark.slow
def test_how_long_a_stalled_client_keeps_its_connection(users_argv, outputs):
    """Every implementation at once, every stall at once: one wait of STALL_WAIT in all.
    The table shows each bound the sources give (BOUNDS) where the run agrees with it, and
    the time measured where it does not, which then fails the comparison."""
    with contextlib.ExitStack() as stack:
        ports = {n: stack.enter_context(running(users_argv(n))).port for n in IMPLEMENTATIONS}
        probes = [(n, stall) for stall in STALLS for n in IMPLEMENTATIONS]
        with concurrent.futures.ThreadPoolExecutor(len(probes)) as pool:
            found = pool.map(
                lambda probe: http_probes.stall(ports[probe[0]], STALL_WAIT, STALLS[probe[1]]),
                probes,
            )
            cells = {probe: stalled(probe, *got) for probe, got in zip(probes, found, strict=True)}
    lines = [
        transcripts.GENERATED.format(test="tests/frameworks/test_users.py"),
        "",
        "| Client | " + " | ".join(IMPLEMENTATIONS) + " |",
        "| --- |" + " --- |" * len(IMPLEMENTATIONS),
    ]
    for stall in STALLS:
        row = [cells[(n, stall)] for n in IMPLEMENTATIONS]
        lines.append(f"| {stall} | " + " | ".join(row) + " |")
    outputs.file(IDLE_TABLE, "\n".join(lines) + "\n")
    checked(IDLE_TABLE)


def health_within(port: int, timeout: float) -> float | None:
    """Seconds until GET /health is answered 200, or None if it is not within `timeout`;
    any other outcome fails."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        got = http_probes.answer(sock, timeout)
    if got == f"no answer within {timeout:g} s":
        return None
    assert got.startswith("200"), got
    return time.monotonic() - started


@pytest.mark.slow
def test_gunicorns_threads_wait_on_stalled_clients(users_argv):
    """gthread hands every new connection to a pool thread, which waits up to 5 s for its
    first bytes and, once a request has begun, for the rest of its head with no limit: as
    many stalled clients as threads (8) hold up everyone else, for 5 s or for as long as
    they like. One fewer, and the service answers at once."""
    with running(users_argv("Flask")) as server:
        for stalled_clients, send, expect in [
            (7, b"", "at once"),
            (8, b"", "after the 5 s wait"),
            (8, STALLS["a request head cut off halfway"], "not while they stay"),
        ]:
            with contextlib.ExitStack() as clients:
                for _ in range(stalled_clients):
                    sock = clients.enter_context(
                        socket.create_connection(("127.0.0.1", server.port))
                    )
                    sock.sendall(send)
                time.sleep(0.2)
                took = health_within(server.port, timeout=8)
            if expect == "at once":
                assert took is not None and took < 1, (expect, took)
            elif expect == "after the 5 s wait":
                assert took is not None and 3 < took < 6, (expect, took)
            else:
                assert took is None, (expect, took)
            time.sleep(1)  # the closed clients' threads come free
        assert health_within(server.port, timeout=5) is not None


def stalled(probe: tuple[str, str], closed: float | None, status: str | None) -> str:
    said = f"{status}, " if status else ""
    if closed is None:
        return f"{said}open after {STALL_WAIT:g} s"
    bound = BOUNDS.get(probe)
    if bound is not None and bound - 0.5 <= closed <= bound + 1.5:
        return f"{said}closed after {bound} s"
    return f"{said}closed after {closed:.1f} s"


def by_status(columns: dict, case: str) -> str:
    """ "415 from Axum, 400 from Actix-web and Flask, ...": the page's summary of a row."""
    groups: dict[str, list[str]] = {}
    for name, cells in columns.items():
        status = cells[case].split()[0].rstrip(",")
        groups.setdefault(status, []).append(name)
    parts = []
    for status, names in groups.items():
        said = "201 (accepted)" if status == "201" else status
        parts.append(f"{said} from {listed(names)}")
    return ", ".join(parts)


@pytest.mark.slow
def test_behaviour_table(users_argv, outputs):
    """Every case against every implementation; the page includes the table."""
    columns = {}
    for name in IMPLEMENTATIONS:
        with running(users_argv(name)) as server:
            columns[name] = {case: cell(answer(server, case)) for case in CASES}
    lines = [
        transcripts.GENERATED.format(test="tests/frameworks/test_users.py"),
        "",
        "| Request | " + " | ".join(IMPLEMENTATIONS) + " |",
        "| --- |" + " --- |" * len(IMPLEMENTATIONS),
    ]
    for case in CASES:
        lines.append(f"| {case} | " + " | ".join(columns[n][case] for n in IMPLEMENTATIONS) + " |")
    lines += [
        "",
        "Where the answers differ: a JSON body sent without `Content-Type: application/json` "
        f"gets {by_status(columns, 'JSON sent without Content-Type')}. An id that is not an "
        f"integer gets {by_status(columns, 'id not an integer')}.",
    ]
    outputs.file(TABLE, "\n".join(lines) + "\n")
    checked(TABLE)
