"""'Hello, world!' with the standard library only: a thread per connection."""

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BODY = b"Hello, world!"


class Hello(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep connections open, as the other servers do
    # Headers and body go out in two writes; with Nagle's algorithm on, the body then
    # waits for the client's delayed ACK (about 40 ms on Linux) on every kept-alive request.
    disable_nagle_algorithm = True

    def answer(self) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/plain; charset=utf-8")
        self.send_header("content-length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    do_GET = do_POST = do_PUT = do_DELETE = answer

    def log_message(self, *args) -> None:
        pass  # one log line per request would slow it down further


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    with ThreadingHTTPServer(("127.0.0.1", port), Hello) as server:
        print(f"Listening on http://127.0.0.1:{server.server_port}", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
