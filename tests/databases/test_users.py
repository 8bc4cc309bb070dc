"""The users API of the Databases page, on a real PostgreSQL: the Frameworks page's request
suite, then what a database adds (constraints, lists, a pool, an outage, shutdown with
writes in flight). Rows are counted with SQL, not through the API under test."""

import concurrent.futures
import contextlib
import re
import signal
import socket
import subprocess
import threading
import time

import psycopg
import pytest

from harness import http_probes, transcripts
from harness.processes import tree
from harness.servers import (
    ALLOWANCE,
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
from tests.databases.conftest import (
    DATABASES,
    DB_TIMEOUT,
    IMPLEMENTATIONS,
    POOL_SIZE,
    implementations,
    is_rust,
)
from tests.frameworks.api import ANN, CASES, Case, body, call, is_error_shape
from tools import postgres

TABLE = DATABASES / "behaviour.md"
INJECTION = "'); DROP TABLE users; --"

# What the database adds to the Frameworks page's cases, in the behaviour table's order.
DB_CASES = {
    "NUL character in the name": Case(
        "POST", "/users", b'{"name": "A\\u0000nn", "email": "ann@example.com"}'
    ),
    "half a surrogate pair in the name": Case(
        "POST", "/users", b'{"name": "\\ud800", "email": "ann@example.com"}'
    ),
    "email of 255 characters": Case(
        "POST", "/users", body({"name": "Ann", "email": "a" * 243 + "@example.com"})
    ),
    "JSON nested 100,000 deep": Case("POST", "/users", b"[" * 100_000 + b"]" * 100_000),
    "id too large for bigint": Case("GET", "/users/99999999999999999999"),
    "limit=0": Case("GET", "/users?limit=0"),
    "limit=101": Case("GET", "/users?limit=101"),
    "limit=ten": Case("GET", "/users?limit=ten"),
    "ids empty": Case("GET", "/queries?ids="),
    "ids not integers": Case("GET", "/queries?ids=1,two"),
    "101 ids": Case("GET", "/queries?ids=" + ",".join(["1"] * 101)),
}
ALL_CASES = {**CASES, **DB_CASES}
SAME_EMAIL = "a second user with an email already stored"


@pytest.fixture(params=implementations())
def service(request, users_argv, database):
    with running(users_argv(request.param)) as server:
        server.sample = DATABASES / IMPLEMENTATIONS[request.param]
        server.name = request.param
        yield server


@pytest.fixture(scope="module", params=implementations())
def shared_service(request, postgres_server):
    """One start per implementation for the cases that answer without changing anything a
    later case reads (errors, and what the contract leaves open)."""
    argv = sample_argv(request, DATABASES / IMPLEMENTATIONS[request.param], "0")
    with running(argv, env={"DATABASE_URL": postgres_server.url}) as server:
        yield server


def create(port: int, name: str, email: str):
    return call(port, Case("POST", "/users", body({"name": name, "email": email})))


def get(port: int, path: str):
    return call(port, Case("GET", path))


def test_valid_requests_get_the_same_answers_everywhere(service):
    health = get(service.port, "/health")
    assert (health.status, health.content_type, health.json) == (
        200,
        "application/json",
        {"status": "ok"},
    )
    created = call(service.port, CASES["valid user"])
    assert (created.status, created.content_type) == (201, "application/json"), created
    user_id = created.json["id"]
    assert isinstance(user_id, int) and created.json == {"id": user_id, **ANN}
    fetched = get(service.port, f"/users/{user_id}")
    assert (fetched.status, fetched.json) == (200, {"id": user_id, **ANN})
    wide = create(service.port, "é" * 50, "wide@example.com")  # 2 bytes each
    assert wide.status == 201 and wide.json["name"] == "é" * 50
    listed = get(service.port, "/users")
    assert (listed.status, listed.content_type) == (200, "application/json")
    assert listed.json == [fetched.json, wide.json]
    found = get(service.port, f"/queries?ids={wide.json['id']},999999,{user_id}")
    assert (found.status, found.json) == (200, [wide.json, fetched.json])
    untyped = call(service.port, CASES["JSON sent without Content-Type"])
    assert untyped.status == 409 and untyped.json["field"] == "email", untyped


@pytest.mark.parametrize(
    ("case", "status", "field"),
    [
        ("malformed JSON", 400, None),
        ("JSON array, not an object", 422, None),
        ("JSON number, not an object", 422, None),
        ("JSON null", 422, None),
        ("NUL character in the name", 422, "name"),
        ("email of 255 characters", 422, "email"),
        ("name is a number", 422, "name"),
        ("name missing", 422, "name"),
        ("empty name", 422, "name"),
        ("name of 51 characters", 422, "name"),
        ("email without @", 422, "email"),
        ("unknown id", 404, None),
        ("limit=0", 422, "limit"),
        ("limit=101", 422, "limit"),
        ("limit=ten", 422, "limit"),
        ("ids empty", 422, "ids"),
        ("ids not integers", 422, "ids"),
        ("101 ids", 422, "ids"),
        ("unmatched path", 404, None),
        ("unmatched method", 405, None),
    ],
)
def test_invalid_requests_get_the_contracts_errors(shared_service, case, status, field):
    got = call(shared_service.port, ALL_CASES[case])
    assert is_error_shape(got), got
    assert (got.status, got.json["field"]) == (status, field), got


def test_a_wrong_method_is_told_the_right_one(shared_service):
    """RFC 9110: a 405 names the methods the resource has, in an Allow header."""
    got = call(shared_service.port, ALL_CASES["unmatched method"])
    assert got.status == 405 and "GET" in (got.allow or "").replace(" ", "").split(","), got


@pytest.mark.parametrize(
    "case",
    [
        "id not an integer",
        "id too large for bigint",
        "half a surrogate pair in the name",
        "JSON nested 100,000 deep",
    ],
)
def test_what_the_contract_leaves_open_gets_a_client_error(shared_service, case):
    got = call(shared_service.port, ALL_CASES[case])
    assert 400 <= got.status < 500 and is_error_shape(got), got


def test_a_second_user_with_the_same_email_is_a_conflict(service, database):
    assert create(service.port, "Ann", "ann@example.com").status == 201
    again = create(service.port, "Another Ann", "ann@example.com")
    assert is_error_shape(again) and (again.status, again.json["field"]) == (409, "email")
    assert database.psql("SELECT count(*) FROM users") == "1\n"


def test_the_unique_constraint_decides_between_concurrent_posts(service, database):
    """Twenty POSTs of one email at once: a check before the insert could let several in."""
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        answers = list(
            pool.map(lambda i: create(service.port, f"Ann {i}", ANN["email"]), range(20))
        )
    statuses = sorted(a.status for a in answers)
    assert statuses == [201] + [409] * 19, answers
    assert all(a.json["field"] == "email" for a in answers if a.status == 409), answers
    assert database.psql("SELECT count(*) FROM users") == "1\n"


def test_names_are_data_never_sql(service, database):
    created = create(service.port, INJECTION, "bobby@example.com")
    assert created.status == 201, created
    assert get(service.port, f"/users/{created.json['id']}").json["name"] == INJECTION
    assert database.psql("SELECT name FROM users") == INJECTION + "\n"


def test_concurrent_posts_give_one_row_each(service, database):
    def one(i: int) -> int:
        got = create(service.port, f"user {i}", f"u{i}@example.com")
        assert got.status == 201, got
        return got.json["id"]

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        ids = list(pool.map(one, range(200), timeout=120))
    assert len(set(ids)) == 200
    rows = database.psql("SELECT id, name FROM users ORDER BY id").splitlines()
    assert sorted(rows) == sorted(f"{user_id}|user {i}" for i, user_id in enumerate(ids))


def test_the_list_is_the_lowest_ids_in_order(service, database):
    database.psql(
        "INSERT INTO users (name, email)"
        " SELECT 'user ' || n, 'u' || n || '@example.com' FROM generate_series(1, 130) n;"
        " DELETE FROM users WHERE id % 7 = 0"
    )
    ids = [int(i) for i in database.psql("SELECT id FROM users ORDER BY id").split()]
    for query, count in [("", 20), ("?limit=1", 1), ("?limit=100", 100)]:
        got = get(service.port, f"/users{query}")
        assert got.status == 200, got
        assert [user["id"] for user in got.json] == ids[:count]
        assert got.json[0] == {"id": 1, "name": "user 1", "email": "u1@example.com"}


def test_more_clients_than_pool_connections(service, database):
    """40 clients at once, each asking for 5 rows one query at a time: all answered, and
    the service never holds more connections than its pool's size (nor none). Five, not
    twenty: a request then holds its connection briefly enough that the queue stays well
    inside the pool's 2-s wait on a busy machine too (with twenty, FastAPI + SQLAlchemy's
    queue passed it whenever the databases benchmark ran beside it)."""
    (source,) = [*service.sample.glob("*.py"), *service.sample.glob("src/main.rs")]
    text = source.read_text()
    assert re.search(rf"POOL_SIZE(: \w+)? = {POOL_SIZE}\b", text), source
    assert re.search(rf"TIMEOUT(: \w+)? = (Duration::from_secs\(2\)|{DB_TIMEOUT})", text), source
    database.psql(
        "INSERT INTO users (name, email)"
        " SELECT 'user ' || n, 'u' || n || '@example.com' FROM generate_series(1, 20) n"
    )
    path = "/queries?ids=" + ",".join(str(i) for i in range(1, 6))
    done = threading.Event()
    connections = []

    def watch() -> None:
        """This service's connections: another test's service may be connected too."""
        while not done.is_set():
            ours = {
                c.laddr.port
                for process in tree(service.process)
                for c in process.net_connections("tcp")
                if c.raddr and c.raddr.port == database.port
            }
            backends = database.psql(
                "SELECT client_port FROM pg_stat_activity WHERE datname = 'app'"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
            )
            connections.append(len(ours & {int(port) for port in backends.split()}))
            time.sleep(0.05)

    def client(_: int) -> list[int]:
        """Five requests, and more until the watcher has looked five times under the load (a
        look takes a psql run: 200 answers once came within one look, which saw none)."""
        answers = []
        while len(answers) < 5 or (len(connections) < looked + 5 and len(answers) < 100):
            answers.append(get(service.port, path).status)
        return answers

    watcher = threading.Thread(target=watch)
    watcher.start()
    looked = len(connections)
    try:
        with concurrent.futures.ThreadPoolExecutor(40) as pool:
            statuses = [s for answers in pool.map(client, range(40), timeout=120) for s in answers]
    finally:
        done.set()
        watcher.join()
    assert len(statuses) >= 200 and set(statuses) == {200}, statuses
    assert 0 < max(connections) <= POOL_SIZE, connections


def unavailable_within_bound(port: int) -> float:
    """Seconds until the 503 in the error shape; fails on anything else."""
    start = time.monotonic()
    got = get(port, "/users/1")
    took = time.monotonic() - start
    assert got.status == 503 and is_error_shape(got), got
    assert got.json["error"] == "database unavailable", got
    assert took < DB_TIMEOUT + ALLOWANCE, f"503 after {took:.2f} s"
    return took


def once_back(request, within: float = 15):
    """The first answer that is not a 503, polling while the service reconnects."""
    deadline = time.monotonic() + within
    while (got := request()).status == 503:
        assert is_error_shape(got), got
        assert time.monotonic() < deadline, f"still 503 {within} s after PostgreSQL returned"
        time.sleep(0.2)
    return got


@pytest.mark.slow
@pytest.mark.parametrize("name", implementations())
def test_an_outage_gives_503_then_the_service_recovers(
    name, users_argv, monkeypatch, postgres_server
):
    """PostgreSQL stopped under a running service (its own cluster, not the run's; asking
    for the run's makes the test skip, or fail in CI, where there is no PostgreSQL)."""
    with postgres.running() as own:
        monkeypatch.setenv("DATABASE_URL", own.url)
        with running(users_argv(name)) as server:
            user = create(server.port, "Ann", "ann@example.com").json
            # Fill the pool with connections that the outage will break.
            with concurrent.futures.ThreadPoolExecutor(POOL_SIZE) as pool:
                list(pool.map(lambda _: get(server.port, "/queries?ids=1,1,1"), range(30)))
            own.stop()
            for _ in range(3):
                unavailable_within_bound(server.port)
            assert server.process.poll() is None
            own.start()
            assert once_back(lambda: get(server.port, "/users/1")).json == user
            assert create(server.port, "Bob", "bob@example.com").status == 201


@pytest.mark.slow
@pytest.mark.parametrize("name", implementations())
def test_starts_while_the_database_is_down(name, users_argv, monkeypatch, postgres_server):
    with postgres.running() as own:
        own.stop()
        monkeypatch.setenv("DATABASE_URL", own.url)
        with running(users_argv(name)) as server:
            assert get(server.port, "/health").status == 200
            unavailable_within_bound(server.port)
            own.start()
            created = once_back(lambda: create(server.port, "Ann", "ann@example.com"))
            assert created.status == 201, created


@contextlib.contextmanager
def users_locked(server: postgres.Postgres):
    """A transaction of the test's own holding the users table (ACCESS EXCLUSIVE): every
    query of it waits until the block ends, which rolls the transaction back."""
    with psycopg.connect(server.url, connect_timeout=10) as conn:
        conn.execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        try:
            yield
        finally:
            conn.rollback()


def waiting_for_the_lock(server: postgres.Postgres, count: int, within: float = 10) -> list[int]:
    """The pids of the backends that wait for users_locked's lock, once `count` do."""
    deadline = time.monotonic() + within
    while True:
        pids = server.psql(
            "SELECT pid FROM pg_stat_activity WHERE datname = 'app' AND wait_event_type = 'Lock'"
        ).split()
        if len(pids) >= count:
            return [int(pid) for pid in pids]
        assert time.monotonic() < deadline, f"{len(pids)} of {count} requests wait for the lock"
        time.sleep(0.05)


def fill_the_pool(port: int, server: postgres.Postgres) -> None:
    """POOL_SIZE requests waiting at once, each on a connection of its own: then the pool
    holds POOL_SIZE idle connections."""
    with concurrent.futures.ThreadPoolExecutor(POOL_SIZE) as clients:
        with users_locked(server):
            answers = [clients.submit(get, port, "/users/1") for _ in range(POOL_SIZE)]
            waiting_for_the_lock(server, POOL_SIZE)
        assert [a.result(timeout=20).status for a in answers] == [200] * POOL_SIZE


def logged(server, text: str, within: float = 5) -> bool:
    """Whether the service writes `text` to stderr within `within` s."""
    deadline = time.monotonic() + within
    while text not in server.stderr():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.slow
@pytest.mark.parametrize("name", implementations())
def test_the_first_request_after_a_restart_gets_a_new_connection(
    name, users_argv, monkeypatch, postgres_server
):
    """A fast restart (`pg_ctl restart -m fast`: SIGINT, then a start) closes every
    connection of a full pool. The first request after it is served on a new connection: not
    a 500 from a dead one, nor a 503 from a pool that goes through the dead ones in turn
    (psycopg-pool pauses 1 s after the second, 2 s after the third, and gave up at its 2 s
    time-out with new connections ready, until the sample checked all at the first)."""
    with postgres.running() as own:
        monkeypatch.setenv("DATABASE_URL", own.url)
        with running(users_argv(name)) as server:
            user = create(server.port, "Ann", "ann@example.com").json
            fill_the_pool(server.port, own)
            own.stop()
            own.start()
            start = time.monotonic()
            got = get(server.port, "/users/1")
            took = time.monotonic() - start
            assert (got.status, got.json) == (200, user), f"{got} after {took:.2f} s"
            assert took < DB_TIMEOUT + ALLOWANCE, f"answered after {took:.2f} s"


@pytest.mark.parametrize("name", implementations())
def test_a_cancelled_query_is_a_logged_500_not_an_outage(name, users_argv, database):
    """SQLSTATE 57014, a query cancelled (pg_cancel_backend here; a statement_timeout gives
    the same): a failed query like any other, not the 503 of a database that is not there
    (class 08, and 57P01 to 57P05: 57014 shares only class 57 with those)."""
    with running(users_argv(name)) as server:
        user = create(server.port, "Ann", "ann@example.com").json
        with concurrent.futures.ThreadPoolExecutor(1) as client:
            with users_locked(database):
                answer = client.submit(get, server.port, "/users/1")
                (pid,) = waiting_for_the_lock(database, 1)
                assert database.psql(f"SELECT pg_cancel_backend({pid})") == "t\n"
                got = answer.result(timeout=10)
        assert is_error_shape(got), got
        assert (got.status, got.json["error"]) == (500, "internal error"), got
        assert logged(server, "canceling statement due to user request"), server.stderr()
        again = get(server.port, "/users/1")
        assert (again.status, again.json) == (200, user), again


@pytest.mark.slow
def test_bad_input_never_brings_it_down(service):
    for name in http_probes.PROBES:
        http_probes.probe(service.port, name)
    assert call(service.port, Case("GET", "/health")).status == 200
    assert service.process.poll() is None


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_stops_within_the_grace_period_and_keeps_every_committed_write(service, database, sig):
    """A client that never sends, and writers still posting when the signal comes: the
    service is gone within the grace period, and every user it answered 201 for is a row."""
    created: list[dict] = []
    stop = threading.Event()

    def writer(w: int) -> None:
        for i in range(10_000):
            if stop.is_set():
                return
            try:
                got = create(service.port, f"w{w} {i}", f"w{w}.{i}@example.com")
            except OSError:
                return  # refused or cut off: the server is going
            if got.status == 201:
                created.append(got.json)

    with socket.create_connection(("127.0.0.1", service.port)):
        writers = [threading.Thread(target=writer, args=(w,)) for w in range(4)]
        for thread in writers:
            thread.start()
        time.sleep(0.5)
        status, _, stderr, took, _ = service.stop(sig)
        stop.set()
        for thread in writers:
            thread.join(timeout=20)
    assert status == 0, stderr
    assert took < STOP_BOUND, f"stopped {took:.2f} s after the signal"
    assert left_behind(service) == []
    assert created, "no write was answered before the signal"
    rows = database.psql("SELECT id, name, email FROM users").splitlines()
    missing = {f"{u['id']}|{u['name']}|{u['email']}" for u in created} - set(rows)
    assert not missing, f"answered 201 but not in the table: {sorted(missing)[:5]}"


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
def test_listening_output_shown_on_the_page(name, users_argv, database, outputs):
    users_argv(name)  # builds Rust first, where it is Rust
    (path,) = (DATABASES / IMPLEMENTATIONS[name]).glob("output.*.txt")
    check_listening_output(outputs, path)


@pytest.mark.parametrize("name", implementations())
def test_without_database_url_it_says_so(name, users_argv, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    done = subprocess.run(users_argv(name), capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (1, ""), done
    assert done.stderr.strip().endswith("DATABASE_URL is not set"), done.stderr


def cell(got) -> str:
    text = str(got.status)
    if is_error_shape(got):
        if got.json["field"]:
            text += f" `{got.json['field']}`"
    elif got.status not in (200, 201):
        text += f", {got.content_type or 'no content type'}, not the error shape"
    return text


@pytest.mark.slow
def test_behaviour_table(users_argv, database, outputs):
    """Every case against every implementation, each on an empty table, and a second user
    with Ann's email; the page shows the table."""
    columns = {}
    for name in IMPLEMENTATIONS:
        with running(users_argv(name)) as server:
            columns[name] = {}
            for case, request in ALL_CASES.items():
                database.psql("TRUNCATE users RESTART IDENTITY")
                columns[name][case] = cell(call(server.port, request))
            create(server.port, "Ann", ANN["email"])
            columns[name][SAME_EMAIL] = cell(create(server.port, "Another Ann", ANN["email"]))
    lines = [
        transcripts.GENERATED.format(test="tests/databases/test_users.py"),
        "",
        "| Request | " + " | ".join(IMPLEMENTATIONS) + " |",
        "| --- |" + " --- |" * len(IMPLEMENTATIONS),
    ]
    for case in [*ALL_CASES, SAME_EMAIL]:
        lines.append(f"| {case} | " + " | ".join(columns[n][case] for n in IMPLEMENTATIONS) + " |")
    outputs.file(TABLE, "\n".join(lines) + "\n")
    checked(TABLE)


@pytest.mark.slow
@pytest.mark.parametrize("name", implementations())
def test_out_of_file_descriptors_it_waits_and_recovers(name, users_argv, database):
    out_of_descriptors(users_argv(name))


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n in IMPLEMENTATIONS if is_rust(n)])
def test_the_rust_services_close_a_silent_connection(name, users_argv, database):
    """After their 10 s header-read timeout, as on the Frameworks page (where the table of
    every framework's stalled connections is)."""
    with running(users_argv(name)) as server:
        closed, _ = http_probes.stall(server.port, wait=15)
    assert closed is not None and 9.5 <= closed <= 11.5, closed
