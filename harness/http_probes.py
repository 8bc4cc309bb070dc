"""Raw-socket probes of an HTTP server: what it does with malformed, huge, cut-off and idle
requests. The tests pin the answers down, and the Performance page shows them as a table.
"""

import asyncio
import contextlib
import fcntl
import socket
import termios
import time

READ_TIMEOUT = 3.0
IDLE_WAIT = 12.0

GOOD = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
PROBES = {
    "garbage bytes": b"\x00\xff\x13\x37" * 256 + b"\r\n\r\n",
    "bad request line": b"HELLO THERE\r\n\r\n",
    "64 KiB header": b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n",
    "1 MiB header": b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 1048576 + b"\r\n\r\n",
    "request cut off, socket closed": b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le",
}


def answer(sock: socket.socket, timeout: float = READ_TIMEOUT) -> str:
    """The status line the server sends, or how the connection ends without one."""
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return "closed, no answer" if not data else f"closed after {data[:40]!r}"
            data += chunk
    except TimeoutError:
        return f"no answer within {timeout:g} s"
    except ConnectionResetError:
        return "connection reset"
    return data.split(b"\r\n", 1)[0].decode("latin-1").replace("HTTP/1.1 ", "")


def probe(port: int, name: str) -> str:
    payload = PROBES[name]
    with socket.create_connection(("127.0.0.1", port), timeout=READ_TIMEOUT) as sock:
        try:
            sock.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            return "closed while the request was sent"
        if not name.startswith("request cut off"):
            return answer(sock)
    # The client went away mid-request: the server must still answer the next one.
    if good_request(port)[:3].isdigit():
        return "client closed; server carries on"
    return "client closed; server stopped answering"


def stall(port: int, wait: float, send: bytes = b"") -> tuple[float | None, str | None]:
    """Connect, send `send` (nothing, or the start of a request) and wait: the seconds until
    the server closed the connection (None: still open after `wait`), and the status of
    what it answered before it did (None: nothing)."""
    start = time.monotonic()
    closed = None
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(send)
        sock.settimeout(wait)
        data = b""
        try:
            while chunk := sock.recv(65536):
                data += chunk
            closed = time.monotonic() - start
        except TimeoutError:
            pass
        except ConnectionResetError:
            closed = time.monotonic() - start
    status = data[9:12].decode() if data.startswith(b"HTTP/1.") else None
    return closed, status


def idle(port: int, wait: float = IDLE_WAIT) -> str:
    """Connect, send nothing, and see how long the server keeps the connection."""
    closed, status = stall(port, wait)
    said = f"answered {status}, " if status else ""
    if closed is None:
        return f"{said}kept open (still open after {wait:g} s)"
    return f"{said}closed after {round(closed)} s"


def good_request(port: int) -> str:
    with socket.create_connection(("127.0.0.1", port), timeout=READ_TIMEOUT) as sock:
        sock.sendall(GOOD)
        return answer(sock)


async def keep_alive_client(port: int, requests: int, results: list) -> None:
    """Send `requests` requests one after another on one connection, recording each
    outcome: (status, body) for a whole answer, "closed" when the server closed the
    connection between answers, "partial" for an answer cut off in the middle."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for _ in range(requests):
            try:
                writer.write(GOOD)
                await writer.drain()
                status = await reader.readline()
            except (ConnectionError, OSError):
                results.append("closed")
                return
            if not status:
                results.append("closed")
                return
            try:
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    name, _, value = line.decode("latin-1").partition(":")
                    if name.lower() == "content-length":
                        length = int(value)
                body = await reader.readexactly(length)
            except (asyncio.IncompleteReadError, ConnectionError, ValueError):
                results.append("partial")
                return
            results.append((int(status.split()[1]), body))
    finally:
        writer.close()


def half_sent_head(port: int, path: str = "/") -> socket.socket:
    """A connection with half a request head sent: a request in progress, which a graceful
    shutdown waits for until its grace period ends."""
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ".encode())
    return sock


def unread_answers(port: int, path: str = "/") -> socket.socket:
    """A connection that sends many requests and reads none of the answers, until the
    buffers are full and the server's writes block (at most 64 MiB, or 3 s)."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    deadline = time.monotonic() + 3
    sent = 0
    with contextlib.suppress(BlockingIOError, ConnectionError):
        while time.monotonic() < deadline and sent < 64 << 20:
            sent += sock.send(request * 256)
    assert sent > 1 << 20, "the server stopped reading before a megabyte of requests"
    settle(sock)
    return sock


def settle(sock: socket.socket, timeout: float = 10.0) -> None:
    """Wait until the server has stopped reading what this socket sent (what it has not taken
    stays the same for 0.2 s). uvicorn reads and parses a backlog of megabytes for a second or
    two before its flow control holds it: a signal in that time finds the request in progress
    not yet started, and the connection closes once it is parsed, before the grace runs out."""
    deadline = time.monotonic() + timeout
    unsent, still = -1, 0
    while still < 4:
        assert time.monotonic() < deadline, f"the server still reads after {timeout} s"
        now = int.from_bytes(fcntl.ioctl(sock, termios.TIOCOUTQ, b"\0\0\0\0"), "little")
        still = still + 1 if now == unsent else 0
        unsent = now
        time.sleep(0.05)


# Clients whose requests are in progress when the signal comes: a graceful shutdown waits for
# them, so only the grace period ends the wait (a longer one than the page's shows).
IN_PROGRESS = {
    "half a request head sent": half_sent_head,
    "answers never read": unread_answers,
}
