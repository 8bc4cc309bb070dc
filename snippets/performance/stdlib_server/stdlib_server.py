"""'Hello, world!' with the standard library only: a thread per connection."""

import contextlib
import errno
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = b"Hello, world!"
GRACE = 2.0  # seconds that shutdown waits for answers already under way
# What accept() fails with when the process or the machine runs out of file
# descriptors, buffers or memory: the errors asyncio waits a second after.
OUT_OF_RESOURCES = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)


class Hello(BaseHTTPRequestHandler):
    # Keep connections open, as the other servers do.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the
    # body then waits for the client's delayed ACK (about 40 ms on Linux) on
    # every kept-alive request.
    disable_nagle_algorithm = True

    def answer(self) -> None:
        with self.server.answering():
            self.send_response(200)
            self.send_header("content-type", "text/plain; charset=utf-8")
            self.send_header("content-length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)

    do_GET = do_POST = do_PUT = do_DELETE = answer

    def log_message(self, *args) -> None:
        pass  # one log line per request would slow it down further


class Server(ThreadingHTTPServer):
    # daemon_threads (set by ThreadingHTTPServer): a connection that sits idle
    # does not keep the process alive. Answers in progress are counted, so that
    # shutdown can wait for them, and only for them.
    def __init__(self, address) -> None:
        super().__init__(address, Hello)
        self.in_progress = 0
        self.changed = threading.Condition()

    @contextlib.contextmanager
    def answering(self):
        with self.changed:
            self.in_progress += 1
        try:
            yield
        finally:
            with self.changed:
                self.in_progress -= 1
                self.changed.notify_all()

    def wait_for_answers(self, timeout: float) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.in_progress == 0, timeout)

    # --8<-- [start:accept]
    def get_request(self):
        try:
            return super().get_request()
        except OSError as err:
            # socketserver ignores a failed accept and accepts again at once.
            # Out of file descriptors, say, the client stays queued, so that
            # would fail again at once, on a full core: wait a second first
            # (Ctrl+C and SIGTERM cut the wait short).
            if err.errno in OUT_OF_RESOURCES:
                print(f"accept failed, retrying in 1 s: {err}", file=sys.stderr)
                time.sleep(1)
            raise

    # --8<-- [end:accept]

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exception(), ConnectionError):
            # A client hanging up is no error; anything else is.
            super().handle_error(request, client_address)


def port() -> int:
    """The first argument, else PORT, else 3000; 0 picks a free port."""
    return int(
        sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", "3000")
    )


def main() -> None:
    # SIGTERM stops the server the way Ctrl+C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        server = Server(("127.0.0.1", port()))
    except OSError as err:
        sys.exit(f"error: cannot listen on 127.0.0.1:{port()}: {err.strerror}")
    with server:
        try:
            print(
                f"Listening on http://127.0.0.1:{server.server_port}",
                flush=True,
            )
            server.serve_forever()
        except KeyboardInterrupt:
            server.server_close()  # no new connections from here on
            server.wait_for_answers(GRACE)


if __name__ == "__main__":
    main()
