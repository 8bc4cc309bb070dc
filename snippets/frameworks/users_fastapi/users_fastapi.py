"""The users API of the Frameworks page: FastAPI and pydantic, on uvicorn."""

import signal
import socket
import sys

import uvicorn
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException as StarletteHTTPException


class NewUser(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    email: str

    @field_validator("email")
    @classmethod
    def has_at(cls, email: str) -> str:
        if "@" not in email:
            raise ValueError("must contain @")
        return email


class User(NewUser):
    id: int


app = FastAPI()
# Async handlers all run on the event loop's one thread, so the store needs
# no lock; a plain `def` handler would run in a thread pool, and would.
users: dict[int, User] = {}


def error(
    status: int, message: str, field: str | None = None, headers=None
) -> JSONResponse:
    body = {"error": message, "field": field}
    return JSONResponse(body, status_code=status, headers=headers)


@app.exception_handler(RequestValidationError)
async def invalid(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    first = exc.errors()[0]
    if first["type"] == "json_invalid":  # FastAPI answers 422; the contract 400
        return error(400, "the body is not valid JSON")
    # loc is ("body", "name"), ("path", "user_id"), or ("body",) for the body
    field = str(first["loc"][-1]) if len(first["loc"]) > 1 else None
    return error(422, first["msg"], field)


# What the framework raises itself, in the contract's words: 400 for a body
# that is not even UTF-8, and the router's 404 and 405.
FRAMEWORK_ERRORS = {
    400: "the body is not valid JSON",
    404: "not found",
    405: "method not allowed",
}


# Starlette's class, not FastAPI's subclass: that is what the router raises
# for a path or method it has no route for. (405 keeps its Allow header.)
@app.exception_handler(StarletteHTTPException)
async def http_error(
    request: Request, exc: StarletteHTTPException
) -> JSONResponse:
    message = FRAMEWORK_ERRORS.get(exc.status_code, str(exc.detail))
    return error(exc.status_code, message, headers=exc.headers)


@app.post("/users", status_code=201)
async def create_user(new: NewUser) -> User:
    user = User(id=len(users) + 1, **new.model_dump())
    users[user.id] = user
    return user


@app.get("/users/{user_id}")
async def get_user(user_id: int) -> User:
    if user_id not in users:
        return error(404, "no such user")
    return users[user_id]


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


class Server(uvicorn.Server):
    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        host, port = sockets[0].getsockname()
        print(f"Listening on http://{host}:{port}", flush=True)


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        sock = socket.create_server(("127.0.0.1", port))
    except OSError as err:
        sys.exit(f"error: cannot listen on 127.0.0.1:{port}: {err.strerror}")
    config = uvicorn.Config(
        app, lifespan="off", log_level="warning", timeout_graceful_shutdown=2
    )
    try:
        Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the signal once it has shut down


if __name__ == "__main__":
    main()
