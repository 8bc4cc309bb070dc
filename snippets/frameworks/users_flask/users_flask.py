"""The users API of the Frameworks page, with Flask on gunicorn."""

import json
import signal
import sys
import threading

from flask import Flask, jsonify, request
from gunicorn.app.base import BaseApplication
from werkzeug.exceptions import HTTPException, MethodNotAllowed

app = Flask(__name__)
users: dict[int, dict] = {}
lock = threading.Lock()  # gthread runs requests in several threads at once


def error(status: int, message: str, field: str | None = None, headers=None):
    return jsonify(error=message, field=field), status, headers or {}


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
    return {"name": body["name"], "email": body["email"]}, None


@app.post("/users")
def create_user():
    # Parsed here, not by request.get_json: that wants a JSON Content-Type
    # (Werkzeug answers 415 without one), and with silent=True it gives None
    # both for bad JSON and for a JSON null.
    try:
        body = json.loads(request.get_data())
    except (ValueError, RecursionError):  # bad JSON, not UTF-8, or too deep
        return error(400, "the body is not valid JSON")
    fields, problem = new_user(body)
    if problem:
        return problem
    with lock:
        user = {"id": len(users) + 1, **fields}
        users[user["id"]] = user
    return jsonify(user), 201


@app.get("/users/<int:user_id>")
def get_user(user_id: int):
    with lock:
        user = users.get(user_id)
    return jsonify(user) if user else error(404, "no such user")


@app.get("/health")
def health():
    return jsonify(status="ok")


# Flask's own answers would be HTML pages: the router's 404 (also for
# /users/abc, which <int:user_id> does not match) and 405, and the 500 for
# an exception no handler took.
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
            "workers": 1,  # one process: the store lives in its memory
            "worker_class": "gthread",  # one slow client blocks one thread
            "threads": 8,
            "graceful_timeout": 2,  # the default waits 30 s on SIGTERM
            "loglevel": "warning",
            "post_worker_init": post_worker_init,
            "worker_int": worker_int,
        }
        for name, value in settings.items():
            self.cfg.set(name, value)

    def load(self):
        return app


if __name__ == "__main__":
    Gunicorn().run()
