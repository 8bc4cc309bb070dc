"""The users API of the Databases page: FastAPI, asyncpg and raw SQL."""

import asyncio
import contextlib
import os
import signal
import socket
import sys

import asyncpg
import uvicorn
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

POOL_SIZE = 10  # connections at most; a request waits for a free one
TIMEOUT = 2.0  # seconds to wait for a pooled connection, or to connect
BIGINT_MAX = 2**63 - 1  # ids above it can name no row (and asyncpg refuses)


# --8<-- [start:unavailable]
def unavailable_error(err: Exception) -> bool:
    """Whether err means the database is down or went away."""
    if isinstance(err, asyncpg.PostgresError):
        # SQLSTATE class 08 (connection), or 57P01 to 57P05 (shutting down,
        # starting up...). Not all of class 57: 57014 is a query cancelled
        # (statement_timeout, pg_cancel_backend), a failed query like any
        # other.
        return (err.sqlstate or "").startswith(("08", "57P"))
    # Refused, or no connection in time (TimeoutError is an OSError). Or a
    # connection the server ended while it was idle, taken from the pool in
    # the instant before asyncpg saw it closed (the pool checks no more than
    # is_closed()): "cannot switch to state 12; another operation (2) is in
    # progress".
    return isinstance(err, (OSError, asyncpg.InternalClientError))


# --8<-- [end:unavailable]


class NewUser(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    email: str = Field(max_length=254)  # what the UNIQUE index can hold

    @field_validator("email")
    @classmethod
    def has_at(cls, email: str) -> str:
        if "@" not in email:
            raise ValueError("must contain @")
        return email

    @field_validator("name", "email")
    @classmethod
    def storable(cls, text: str) -> str:
        if "\0" in text:  # PostgreSQL's text cannot hold U+0000
            raise ValueError("must not contain NUL characters")
        return text


class User(NewUser):
    id: int


pool: asyncpg.Pool


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI):
    global pool
    # min_size=0: no connection is made until a request needs one, so the
    # service starts, and answers 503, while the database is down.
    pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"],
        min_size=0,
        max_size=POOL_SIZE,
        timeout=TIMEOUT,  # connecting
    )
    yield
    try:  # after uvicorn's grace period: close politely, but not for long
        await asyncio.wait_for(pool.close(), timeout=0.5)
    except TimeoutError:
        pool.terminate()


# strict_content_type=False: a JSON body without a Content-Type is JSON too.
app = FastAPI(lifespan=lifespan, strict_content_type=False)


def error(
    status: int, message: str, field: str | None = None, headers=None
) -> JSONResponse:
    body = {"error": message, "field": field}
    return JSONResponse(body, status_code=status, headers=headers)


class Unavailable(Exception):
    pass


@contextlib.asynccontextmanager
async def connection():
    """A pooled connection, and Unavailable if the database is not there."""
    try:
        async with pool.acquire(timeout=TIMEOUT) as conn:
            yield conn  # what the block raises comes out here too
    except Exception as err:
        if unavailable_error(err):
            raise Unavailable from err
        raise


@app.exception_handler(Unavailable)
async def unavailable(request: Request, exc: Unavailable) -> JSONResponse:
    return error(503, "database unavailable")


@app.exception_handler(RequestValidationError)
async def invalid(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    first = exc.errors()[0]
    if first["type"] == "json_invalid":  # FastAPI answers 422; the contract 400
        return error(400, "the body is not valid JSON")
    # loc is ("body", "name"), ("query", "limit"), or ("body",) for the body
    field = str(first["loc"][-1]) if len(first["loc"]) > 1 else None
    return error(422, first["msg"], field)


# What the framework itself raises, in the contract's words: 400 for a body
# that is not even UTF-8, and the router's 404 and 405.
FRAMEWORK_ERRORS = {
    400: "the body is not valid JSON",
    404: "not found",
    405: "method not allowed",
}


# Starlette's class, not FastAPI's subclass: that is what the router raises.
@app.exception_handler(StarletteHTTPException)
async def http_error(
    request: Request, exc: StarletteHTTPException
) -> JSONResponse:
    message = FRAMEWORK_ERRORS.get(exc.status_code, str(exc.detail))
    return error(exc.status_code, message, headers=exc.headers)


@app.exception_handler(Exception)
async def internal(request: Request, exc: Exception) -> JSONResponse:
    return error(500, "internal error")


@app.post("/users", status_code=201)
async def create_user(new: NewUser) -> User:
    async with connection() as conn:
        try:
            row = await conn.fetchrow(
                "INSERT INTO users (name, email) VALUES ($1, $2)"
                " RETURNING id, name, email",
                new.name,
                new.email,
            )
        except asyncpg.UniqueViolationError:  # the UNIQUE constraint decides
            return error(409, "email already registered", "email")
    return User(**row)


@app.get("/users/{user_id}")
async def get_user(user_id: int) -> User:
    row = None
    if 0 < user_id <= BIGINT_MAX:
        async with connection() as conn:
            row = await conn.fetchrow(
                "SELECT id, name, email FROM users WHERE id = $1", user_id
            )
    if row is None:
        return error(404, "no such user")
    return User(**row)


@app.get("/users")
async def list_users(limit: int = Query(20, ge=1, le=100)) -> list[User]:
    async with connection() as conn:
        rows = await conn.fetch(
            "SELECT id, name, email FROM users ORDER BY id LIMIT $1", limit
        )
    return [User(**row) for row in rows]


def parse_ids(text: str) -> list[int] | None:
    parts = text.split(",")
    # isascii: str.isdigit also says yes to "²" and "٣", which int() refuses
    if not 1 <= len(parts) <= 100 or not all(
        part.isascii() and part.isdigit() for part in parts
    ):
        return None
    ids = [int(part) for part in parts]
    return ids if min(ids) > 0 else None


@app.get("/queries")
async def queries(ids: str) -> list[User]:
    wanted = parse_ids(ids)
    if wanted is None:
        return error(422, "must be 1 to 100 positive integers", "ids")
    found = []
    # One query per id, in turn, on one connection: the N+1 pattern.
    async with connection() as conn:
        for user_id in wanted:
            if user_id <= BIGINT_MAX:
                row = await conn.fetchrow(
                    "SELECT id, name, email FROM users WHERE id = $1",
                    user_id,
                )
                if row is not None:
                    found.append(User(**row))
    return found


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


class Server(uvicorn.Server):
    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        host, port = sockets[0].getsockname()
        print(f"Listening on http://{host}:{port}", flush=True)


def main() -> None:
    if not os.environ.get("DATABASE_URL"):
        sys.exit("error: DATABASE_URL is not set")
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        sock = socket.create_server(("127.0.0.1", port))
    except OSError as err:
        sys.exit(f"error: cannot listen on 127.0.0.1:{port}: {err.strerror}")
    config = uvicorn.Config(
        app,
        loop="uvloop",  # what `uvicorn[standard]` installs; said, not guessed
        http="httptools",
        log_level="warning",
        timeout_graceful_shutdown=2,
    )
    try:
        Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the signal once it has shut down


if __name__ == "__main__":
    main()
