"""'Hello, world!' over HTTP: an ASGI app on uvicorn, the twin of main.rs."""

import os
import signal
import socket
import sys

import uvicorn

BODY = b"Hello, world!"
HEADERS = [
    (b"content-type", b"text/plain; charset=utf-8"),
    (b"content-length", str(len(BODY)).encode()),
]


async def app(scope, receive, send):  # (1)!
    assert scope["type"] == "http"  # lifespan events are off, see below
    await send(
        {"type": "http.response.start", "status": 200, "headers": HEADERS}
    )
    await send({"type": "http.response.body", "body": BODY})


def port() -> int:
    """The first argument, else PORT, else 3000; 0 picks a free port."""
    if len(sys.argv) > 1:
        return int(sys.argv[1])
    return int(os.environ.get("PORT", "3000"))


class Server(uvicorn.Server):  # (3)!
    async def startup(self, sockets=None):
        await super().startup(sockets=sockets)
        host, real_port = sockets[0].getsockname()
        print(f"Listening on http://{host}:{real_port}", flush=True)


def main() -> None:
    # SIGTERM stops the server the way Ctrl+C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        sock = socket.create_server(("127.0.0.1", port()))  # (2)!
    except OSError as err:
        sys.exit(f"error: cannot listen on 127.0.0.1:{port()}: {err.strerror}")
    config = uvicorn.Config(
        app,
        lifespan="off",
        server_header=False,
        log_level="warning",
        timeout_graceful_shutdown=2,
    )
    try:
        Server(config).run(sockets=[sock])  # (4)!
    except KeyboardInterrupt:  # (5)!
        pass  # uvicorn re-raises the signal after the last request: done


if __name__ == "__main__":
    main()
