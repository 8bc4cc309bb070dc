"""`./dev postgres`, as the Databases page shows it: a server a reader can point the samples
at, with the schema in place, gone again after Ctrl+C."""

import os
import re
import select
import signal
import socket
import subprocess

import pytest

from harness.servers import default_sigint
from harness.support import ROOT
from tests.databases.conftest import DATABASES
from tools import postgres

SHOWN = DATABASES / "postgres.txt"
URL = re.compile(r"export DATABASE_URL=(postgresql://postgres@127\.0\.0\.1:(\d+)/app)\n")
SHOWN_PORT = "41625"  # the page's example; every run picks a free port of its own


def psql(url: str, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(postgres.bin_dir() / "psql"), "-X", "-A", "-t", url, "-c", sql],
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_dev_postgres_serves_the_schema_until_ctrl_c(postgres_server, outputs):
    """The run's own server is up too, so this one must find another port."""
    process = subprocess.Popen(
        ["./dev", "postgres"],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        preexec_fn=default_sigint,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        first = process.stdout.readline() if ready else ""
        match = URL.fullmatch(first)
        assert match, f"./dev postgres printed {first!r}"
        url, port = match[1], match[2]
        second = process.stdout.readline()
        assert psql(url, "SELECT count(*) FROM users").stdout == "0\n"
        os.killpg(process.pid, signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=10)
    assert process.returncode == 0, rest
    assert psql(url, "SELECT 1").returncode != 0, "still serving after Ctrl+C"
    printed = (first + second + rest).replace(f":{port}/", f":{SHOWN_PORT}/")
    outputs.check(SHOWN, [printed])


@pytest.mark.slow
def test_a_stopped_server_keeps_its_port_until_it_starts_again(postgres_server):
    """The outage tests restart PostgreSQL on its port: meanwhile no other socket may take it
    (the OS gives it to neither bind nor connect), and a client is refused as by no server."""
    with postgres.running() as own:
        own.stop()
        with socket.socket() as other, pytest.raises(OSError, match="in use"):
            other.bind(("127.0.0.1", own.port))
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", own.port), timeout=5).close()
        own.start()
        assert own.psql("SELECT 1") == "1\n"
