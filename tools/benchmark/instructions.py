"""instructions: CPU instructions per request, counted by valgrind's callgrind, for the hello
servers and the Frameworks page's services; the Performance page's second table.

A count of instructions does not move with the machine's load the way requests per second
do, so it is the steadier figure to compare servers with on a shared machine. It leaves out
what it cannot see: the kernel's share (every read, write and epoll call), waiting, cache
misses and branch mispredictions (an instruction that misses the cache costs a hundred that
hit), and the parallelism valgrind takes away (it runs one thread at a time).

Each server runs twice under callgrind, once for FEW and once for MANY requests, sent one
after another on one keep-alive connection; the difference of the two totals, divided by
MANY - FEW, is what one request costs, without start-up and shutdown.
"""

import pathlib
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
from typing import Literal

from tools.benchmark import frameworks, http, processes, render
from tools.benchmark.schema import Document, Profile, Strict

FEW, MANY = 200, 1200
READY = {"hello": processes.HELLO_READY, "frameworks": frameworks.READY}
PATHS = {"hello": "/", "frameworks": "/users/1"}


def servers(target: pathlib.Path) -> dict[str, tuple[str, list]]:
    """Each server's group and command (the port is appended). granian's workers are
    processes it starts with multiprocessing, and Nagle's algorithm changes the timing, not
    the instructions: both are left out of the hello servers."""
    hello = {
        name: ("hello", argv)
        for name, argv in http.servers(target).items()
        if "granian" not in name and "Nagle" not in name
    }
    services = {
        name: ("frameworks", frameworks.argv(sample, target))
        for name, sample in frameworks.SAMPLES.items()
    }
    return {**hello, **services}


def request(path: str) -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode()


def answers(sock: socket.socket, count: int, path: str) -> None:
    """`count` requests, each sent once the answer before it has been read whole."""
    wanted = request(path)
    buffered = b""
    for _ in range(count):
        sock.sendall(wanted)
        while True:
            head, sep, rest = buffered.partition(b"\r\n\r\n")
            if sep:
                length = int(re.search(rb"(?i)content-length: *(\d+)", head)[1])
                if len(rest) >= length:
                    assert head.startswith(b"HTTP/1.1 200"), head[:40]
                    buffered = rest[length:]
                    break
            chunk = sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            buffered += chunk


def counted(argv: list, kind: str, path: str, count: int, out: pathlib.Path) -> int:
    """Instructions the server's processes ran in all, serving `count` requests."""
    for old in out.glob("callgrind.*"):
        old.unlink()
    valgrind = [
        "valgrind",
        "--tool=callgrind",
        "--trace-children=yes",  # and what they start: taskset's or a wrapper's program
        f"--callgrind-out-file={out}/callgrind.%p",
        "--quiet",
    ]
    command = [*valgrind, *argv]
    with processes.server(command, None, READY[kind], startup_s=300, stop_s=120) as server:
        if kind == "frameworks":
            frameworks.create_ann(server.port)
        with socket.create_connection(("127.0.0.1", server.port), timeout=120) as sock:
            answers(sock, count, path)
    dumps = list(out.glob("callgrind.*"))
    if not dumps:
        raise RuntimeError(f"callgrind wrote nothing for {argv[0]}")
    total = 0
    for dump in dumps:
        summary = re.search(r"(?m)^(?:summary|totals): (\d+)", dump.read_text(errors="replace"))
        if not summary:  # a process that was killed, not stopped, writes no totals
            raise RuntimeError(f"{dump.name} has no totals: did {argv[0]} exit cleanly?")
        total += int(summary[1])
    return total


def per_request(argv: list, kind: str, runs: int, few: int = FEW, many: int = MANY) -> dict:
    with tempfile.TemporaryDirectory(prefix="callgrind-") as folder:
        out = pathlib.Path(folder)
        found = []
        for _ in range(runs):
            fewer = counted(argv, kind, PATHS[kind], few, out)
            more = counted(argv, kind, PATHS[kind], many, out)
            found.append((more - fewer) / (many - few))
    return {
        "median": round(statistics.median(found)),
        "min": round(min(found)),
        "max": round(max(found)),
        "runs": [round(f) for f in found],
    }


def run(args, target: pathlib.Path) -> dict:
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is missing (Debian: apt-get install valgrind)")
    found = {}
    for name, (group, argv) in servers(target).items():
        print(f"instructions: {name}", file=sys.stderr)
        found[name] = {"group": group, **per_request(argv, group, args.runs)}
    return {
        "settings": {
            "requests": [FEW, MANY],
            "runs": args.runs,
            "rust_profile": target.name,
            "valgrind": subprocess.run(
                ["valgrind", "--version"], capture_output=True, text=True
            ).stdout.strip(),
        },
        "servers": found,
    }


def table(data: dict) -> str:
    s, m = data["settings"], data["machine"]
    few, many = s["requests"]
    lines = [
        render.describe(m)
        + f" {s['valgrind']}'s callgrind: user-space instructions of the server's processes "
        f"for {many:,} requests less those for {few:,}, divided by {many - few:,}; one client, "
        f"one keep-alive connection, one request at a time; Rust built in {s['rust_profile']} "
        f"mode; median of {s['runs']} pair{'s' if s['runs'] != 1 else ''} of runs. The hello "
        "servers answer `GET /`, the "
        "Frameworks page's services `GET /users/1`.",
        "",
        "| Server | Instructions per request | Times the fewest of its group |",
        "| --- | --- | --- |",
    ]
    for group in ("hello", "frameworks"):
        rows = {n: f for n, f in data["servers"].items() if f["group"] == group}
        fewest = min(f["median"] for f in rows.values())
        for name, f in rows.items():
            lines.append(f"| {name} | {f['median']:,} | {f['median'] / fewest:.1f} |")
    return "\n".join(lines)


# --- docs/benchmarks/instructions.json ---------------------------------------------------------


class Settings(Strict):
    requests: tuple[int, int]  # FEW, MANY
    runs: int
    rust_profile: Profile
    valgrind: str


class Counted(Strict):
    group: Literal["hello", "frameworks"]
    median: int
    min: int
    max: int
    runs: list[int]


class Instructions(Document):
    settings: Settings
    servers: dict[str, Counted]
