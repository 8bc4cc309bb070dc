"""The two "Hello, world!" servers of the Performance page, run as real processes."""

import concurrent.futures
import importlib.util
import re
import signal
import threading

import pytest

from harness import transcripts
from harness.servers import STOP_BOUND, check_listening_output, in_thread, left_behind, running
from harness.support import sample_of

SAMPLE = sample_of(__file__)
REQUESTS = [
    ("GET", "/", None),
    ("GET", "/users/42?verbose=1", None),
    ("POST", "/orders", b'{"item": "book"}'),
    ("PUT", "/orders/7", b"x" * 10_000),
    ("DELETE", "/a/b/c", None),
]


@pytest.fixture(params=["python", pytest.param("rust", marks=pytest.mark.slow)])
def server_argv(request, hello_argv) -> list[str]:
    return hello_argv(request.param)


@pytest.mark.parametrize(("method", "path", "body"), REQUESTS)
def test_answers_any_method_and_path(server_argv, method, path, body):
    with running(server_argv) as server:
        status, headers, payload = server.request(method, path, body)
    assert (status, payload) == (200, b"Hello, world!")
    assert headers["content-type"] == "text/plain; charset=utf-8"


def test_serves_50_concurrent_requests(server_argv):
    """Fifty clients connect first, then all send at once, so the server holds 50 open requests."""
    clients = 50
    start = threading.Barrier(clients, timeout=20)

    def one_client(_):
        start.wait()
        return server.request("GET", "/")

    with running(server_argv) as server:
        with concurrent.futures.ThreadPoolExecutor(clients) as pool:
            answers = list(pool.map(one_client, range(clients), timeout=60))
    assert [(status, body) for status, _, body in answers] == [(200, b"Hello, world!")] * clients


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stops_cleanly(server_argv, sig):
    with running(server_argv) as server:
        assert server.request()[0] == 200
        status, _, stderr, seconds, _ = server.stop(sig)
    assert status == 0, stderr
    assert stderr == ""
    assert seconds < STOP_BOUND, f"stopped {seconds:.2f} s after the signal"
    assert left_behind(server) == []


def test_takes_its_port_from_the_environment(server_argv, monkeypatch):
    monkeypatch.setenv("PORT", "0")
    with running(server_argv[:-1]) as server:
        assert server.request()[0] == 200


def test_importing_the_python_sample_does_not_serve():
    """Importing runs no server; the ASGI app can be called directly, as uvicorn calls it."""
    spec = importlib.util.spec_from_file_location("hello_server", SAMPLE / "hello_server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
    in_thread(module.app(scope, receive, send), timeout=10)
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b"Hello, world!"
    assert dict(sent[0]["headers"])[b"content-length"] == b"13"


@pytest.mark.parametrize(
    "output_file", ["output.python.txt", pytest.param("output.rust.txt", marks=pytest.mark.slow)]
)
def test_output_shown_on_the_page(output_file, request, outputs):
    if "rust" in output_file:
        request.getfixturevalue("rust_binaries")
    (step,) = transcripts.read(SAMPLE / output_file)
    assert transcripts.argv(step.command)[-1] == "3000", "the page shows the default port"
    check_listening_output(outputs, SAMPLE / output_file)


def exchange(server, method, path, body):
    status, headers, payload = server.request(method, path, body)
    shown = {name.lower(): value for name, value in headers.items()}
    assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", shown.pop("date"))
    return status, shown, payload


def test_python_and_rust_servers_answer_alike(rust_binaries, hello_argv):
    """Same requests, same status, body and headers (the `date` header only checked for form)."""
    with running(hello_argv("python")) as py_server, running(hello_argv("rust")) as rs_server:
        for method, path, body in REQUESTS:
            assert exchange(py_server, method, path, body) == exchange(
                rs_server, method, path, body
            )
