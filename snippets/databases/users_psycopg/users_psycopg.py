"""The users API of the Databases page: Flask and psycopg 3, on gunicorn."""

import json
import os
import signal
import sys

import psycopg
from flask import Flask, jsonify, request
from gunicorn.app.base import BaseApplication
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool
from werkzeug.exceptions import HTTPException, MethodNotAllowed

POOL_SIZE = 10  # connections at most, and as many gunicorn threads
TIMEOUT = 2.0  # seconds to wait for a pooled connection, or to connect
BIGINT_MAX = 2**63 - 1  # ids above it can name no row

app = Flask(__name__)


# --8<-- [start:check]
def check(conn: psycopg.Connection) -> None:
    """Run on each connection as a request takes it: drop ones the server
    closed. After a restart of the database every idle one is dead; the pool
    would try them in turn, pausing 1 s after the second, 2 s after the
    third..., and give up at TIMEOUT (PoolTimeout) with new connections
    ready behind them. So at the first dead one, check them all."""
    try:
        ConnectionPool.check_connection(conn)  # an empty query
    except psycopg.Error:
        pool.check()  # drops the dead ones and opens new ones
        raise  # and the pool goes on to the next: a new one


# --8<-- [end:check]


pool = ConnectionPool(
    os.environ.get("DATABASE_URL", ""),
    open=False,  # opened in the worker process: threads do not survive fork
    min_size=0,  # connect on demand: the service starts with the database down
    max_size=POOL_SIZE,
    timeout=TIMEOUT,  # waiting for a connection; then PoolTimeout
    check=check,  # drop ones the server closed (see check)
    # A failed connection attempt is retried after 1, 2, 4, 8... s, for five
    # minutes by default: after a long outage, every slot could still wait
    # about as long again once the database is back. Give up soon instead;
    # the next request that finds no connection starts a fresh attempt.
    reconnect_timeout=TIMEOUT,
    kwargs={"connect_timeout": TIMEOUT, "row_factory": dict_row},
)


def error(status: int, message: str, field: str | None = None, headers=None):
    return jsonify(error=message, field=field), status, headers or {}


# No connection within TIMEOUT (PoolTimeout), or the server refused us, is
# shutting down or dropped the connection: SQLSTATE class 08 or 57P01 to
# 57P05, or none at all for a connection that failed before the server could
# say why. Not all of class 57: 57014 is a query cancelled (statement_timeout,
# pg_cancel_backend), a failed query like any other.
@app.errorhandler(psycopg.OperationalError)
def operational(err: psycopg.OperationalError):
    code = err.sqlstate or ""
    if code and not code.startswith(("08", "57P")):
        app.logger.error("query failed", exc_info=err)
        return error(500, "internal error")
    return error(503, "database unavailable")


# Flask's own answers would be HTML pages: the router's 404 and 405, and the
# 500 for an exception no handler took.
FRAMEWORK_ERRORS = {
    404: "not found",
    405: "method not allowed",
    500: "internal error",
}


@app.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    message = FRAMEWORK_ERRORS.get(exc.code, exc.name.lower())
    headers = None
    if isinstance(exc, MethodNotAllowed):
        headers = {"Allow": ", ".join(exc.valid_methods)}
    return error(exc.code, message, headers=headers)


def unstorable(text: str) -> str | None:
    """Why PostgreSQL's text could not hold this, if it could not."""
    if "\0" in text:
        return "must not contain NUL characters"
    try:
        text.encode()  # json.loads lets half a surrogate pair ("\ud800") in
    except UnicodeEncodeError:
        return "must be valid Unicode"
    return None


def new_user(body) -> tuple[dict | None, tuple | None]:
    """Flask checks nothing: a wrong type or a missing field is ours to find."""
    if not isinstance(body, dict):
        return None, error(422, "the body must be a JSON object")
    for field in ("name", "email"):
        if field not in body:
            return None, error(422, "is required", field)
        if not isinstance(body[field], str):
            return None, error(422, "must be a string", field)
    if not 1 <= len(body["name"]) <= 50:
        return None, error(422, "must be 1 to 50 characters", "name")
    if "@" not in body["email"]:
        return None, error(422, "must contain @", "email")
    if len(body["email"]) > 254:  # what the UNIQUE index can hold
        return None, error(422, "must be at most 254 characters", "email")
    for field in ("name", "email"):
        if why := unstorable(body[field]):
            return None, error(422, why, field)
    return {"name": body["name"], "email": body["email"]}, None


@app.post("/users")
def create_user():
    # Parsed here, not by request.get_json: that wants a JSON Content-Type,
    # and gives None both for bad JSON and for a JSON null.
    try:
        body = json.loads(request.get_data())
    except (ValueError, RecursionError):  # bad JSON, not UTF-8, or too deep
        return error(400, "the body is not valid JSON")
    fields, problem = new_user(body)
    if problem:
        return problem
    try:
        with pool.connection() as conn:  # commits at the end of the block
            user = conn.execute(
                "INSERT INTO users (name, email) VALUES (%s, %s)"
                " RETURNING id, name, email",
                (fields["name"], fields["email"]),
            ).fetchone()
    except psycopg.errors.UniqueViolation:  # the UNIQUE constraint decides
        return error(409, "email already registered", "email")
    return jsonify(user), 201


@app.get("/users/<int(signed=True):user_id>")
def get_user(user_id: int):
    user = None
    if 0 < user_id <= BIGINT_MAX:
        with pool.connection() as conn:
            user = conn.execute(
                "SELECT id, name, email FROM users WHERE id = %s", (user_id,)
            ).fetchone()
    return jsonify(user) if user else error(404, "no such user")


def positive(text: str) -> int | None:
    # isascii: str.isdigit also says yes to "²" and "٣", which int() refuses
    return int(text) if text.isascii() and text.isdigit() else None


@app.get("/users")
def list_users():
    limit = positive(request.args.get("limit", "20"))
    if limit is None or not 1 <= limit <= 100:
        return error(422, "must be an integer from 1 to 100", "limit")
    with pool.connection() as conn:
        users = conn.execute(
            "SELECT id, name, email FROM users ORDER BY id LIMIT %s", (limit,)
        ).fetchall()
    return jsonify(users)


@app.get("/queries")
def queries():
    parts = request.args.get("ids", "").split(",")
    wanted = [positive(part) for part in parts]
    if not 1 <= len(wanted) <= 100 or not all(wanted):  # None or 0
        return error(422, "must be 1 to 100 positive integers", "ids")
    found = []
    # One query per id, in turn, on one connection: the N+1 pattern.
    with pool.connection() as conn:
        for user_id in wanted:
            if user_id <= BIGINT_MAX:
                user = conn.execute(
                    "SELECT id, name, email FROM users WHERE id = %s",
                    (user_id,),
                ).fetchone()
                if user:
                    found.append(user)
    return jsonify(found)


@app.get("/health")
def health():
    return jsonify(status="ok")


def post_worker_init(worker) -> None:
    """Said once the worker serves: when_ready comes before it starts, and a
    Ctrl+C then could kill it before it handled signals."""
    host, port = worker.sockets[0].getsockname()
    print(f"Listening on http://{host}:{port}", flush=True)


def worker_int(worker) -> None:
    """Ctrl+C reaches the worker twice, from the terminal and as SIGQUIT from
    gunicorn's arbiter: the second, arriving as Python shuts down, killed it
    (and gunicorn warned)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGQUIT, signal.SIG_IGN)


class Gunicorn(BaseApplication):
    """gunicorn run from this script instead of its command line."""

    def load_config(self) -> None:
        port = sys.argv[1] if len(sys.argv) > 1 else "3000"
        settings = {
            "bind": f"127.0.0.1:{port}",
            "workers": 1,  # one process, one pool
            "worker_class": "gthread",  # requests in threads, not one by one
            "threads": POOL_SIZE,  # so no thread waits for a connection
            "graceful_timeout": 2,  # the default waits 30 s on SIGTERM
            "loglevel": "warning",
            "post_worker_init": post_worker_init,
            "worker_int": worker_int,
        }
        for name, value in settings.items():
            self.cfg.set(name, value)

    def load(self):
        # Called in the worker, after gunicorn forks it: the pool's threads
        # must start in the process that uses them.
        pool.open()  # wait=False: no waiting for a database that may be down
        return app


if __name__ == "__main__":
    if not os.environ.get("DATABASE_URL"):
        sys.exit("error: DATABASE_URL is not set")
    Gunicorn().run()
