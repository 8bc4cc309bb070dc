"""What each service sends PostgreSQL for one request, read from the server's own log of
statements (`log_statement = 'all'`): the table on the Databases page, written from this run."""

import re
import time

import pytest

from harness import transcripts
from harness.servers import running
from harness.support import checked
from tests.databases.conftest import DATABASES, IMPLEMENTATIONS
from tests.databases.test_users import create, get
from tools import postgres

TABLE = DATABASES / "statements.md"
REQUESTS = 5
LOGGED = re.compile(r"LOG:  (execute [^:]+|statement): ?(.*)")


def statement(kind: str, text: str) -> str:
    """A logged statement as the table names it: the request's own query, or its SQL."""
    if kind.startswith("execute"):  # a prepared statement: the query the handler runs
        return "the query"
    return f"`{text.strip().rstrip(';')}`" if text.strip() else "an empty query"


def logged(server: postgres.Postgres, send) -> list[str]:
    """The statements the server logged while `send()` ran REQUESTS times, per request (a
    pool may reset a connection after the answer has gone: wait until the log is still)."""
    log = server.dir / "server.log"
    before = len(log.read_text().splitlines())
    for _ in range(REQUESTS):
        send()
    lines, still = [], 0
    while still < 3:
        time.sleep(0.1)
        now = log.read_text().splitlines()[before:]
        still = still + 1 if now == lines else 0
        lines = now
    entries = "\n".join(lines).replace("\n\t", " ").splitlines()  # one a line
    found = [statement(*m.groups()) for line in entries if (m := LOGGED.search(line))]
    assert len(found) % REQUESTS == 0, found
    per_request = found[: len(found) // REQUESTS]
    assert found == per_request * REQUESTS, found
    return per_request


@pytest.mark.slow
def test_statements_per_request(users_argv, outputs, monkeypatch, postgres_server):
    """(postgres_server: skipped, or failed in CI, without PostgreSQL.)"""
    columns = {}
    with postgres.running() as own:
        own.psql("ALTER SYSTEM SET log_statement = 'all'")
        own.psql("SELECT pg_reload_conf()")
        own.psql("INSERT INTO users (name, email) VALUES ('Ann', 'ann@example.com')")
        monkeypatch.setenv("DATABASE_URL", own.url)
        for name in IMPLEMENTATIONS:
            with running(users_argv(name)) as server:
                emails = (f"{IMPLEMENTATIONS[name]}.{i}@example.com" for i in range(100))

                def read(port=server.port) -> None:
                    assert get(port, "/users/1").status == 200

                def write(port=server.port, emails=emails) -> None:
                    assert create(port, "Bob", next(emails)).status == 201

                # The pool connects and each query is prepared on the first requests.
                for _ in range(REQUESTS):
                    read()
                    write()
                columns[name] = {
                    "GET /users/1": logged(own, read),
                    "POST /users": logged(own, write),
                }
    lines = [
        transcripts.GENERATED.format(test="tests/databases/test_statements.py"),
        "",
        "| Service | GET /users/1 | POST /users |",
        "| --- | --- | --- |",
    ]
    for name, by_request in columns.items():
        cells = [f"{len(s)}: " + ", ".join(s) for s in by_request.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    outputs.file(TABLE, "\n".join(lines) + "\n")
    checked(TABLE)
