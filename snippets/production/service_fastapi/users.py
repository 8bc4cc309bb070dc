"""The users API of the Frameworks page, made ready for production: a log line
for every request, one error shape for every failure (a crash included), and
the OpenAPI document at /openapi.json, which FastAPI writes from the code."""

import logging
import time
import uuid
from typing import Annotated

from fastapi import APIRouter, FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

import logs

log = logging.getLogger("users")


class NewUser(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    email: str = Field(pattern="@")


class User(BaseModel):
    id: int
    name: str
    email: str


class Error(BaseModel):
    error: str
    field: str | None = None


def error(status: int, message: str, field=None, headers=None) -> JSONResponse:
    body = {"error": message, "field": field}
    return JSONResponse(body, status_code=status, headers=headers)


# Documented for each route that answers them: by default FastAPI would
# describe its own 422 body, not the one the handler below answers with.
def documented(status: int, description: str) -> dict:
    return {status: {"model": Error, "description": description}}


router = APIRouter()


@router.post(
    "/users",
    status_code=201,
    responses=documented(400, "The body is not JSON")
    | documented(422, "A value does not fit"),
)
async def create_user(new: NewUser, request: Request) -> User:
    users = request.app.state.users
    user = User(id=len(users) + 1, **new.model_dump())
    users[user.id] = user
    log.info("user created", extra={"user_id": user.id})
    return user


@router.get(
    "/users/{user_id}",
    response_model=User,
    responses=documented(404, "No such user")
    | documented(422, "The id is not a number"),
)
async def get_user(
    user_id: Annotated[int, Path(ge=0)], request: Request
) -> User | JSONResponse:
    if user_id not in request.app.state.users:
        return error(404, "no such user")
    return request.app.state.users[user_id]


@router.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


async def invalid(
    request: Request, exc: RequestValidationError
) -> JSONResponse:
    first = exc.errors()[0]
    if first["type"] == "json_invalid":  # FastAPI answers 422; the contract 400
        return error(400, "the body is not valid JSON")
    # loc is ("body", "name"), ("path", "user_id"), or ("body",) for the body
    field = str(first["loc"][-1]) if len(first["loc"]) > 1 else None
    return error(422, first["msg"], field)


# What the framework raises itself: 400 for a body that is not even UTF-8,
# and the router's 404 and 405 (Starlette's class: see the Frameworks page).
FRAMEWORK_ERRORS = {
    400: "the body is not valid JSON",
    404: "not found",
    405: "method not allowed",
}


async def http_error(
    request: Request, exc: StarletteHTTPException
) -> JSONResponse:
    message = FRAMEWORK_ERRORS.get(exc.status_code, str(exc.detail))
    return error(exc.status_code, message, headers=exc.headers)


async def crashed(request: Request, exc: Exception) -> JSONResponse:
    """An exception no handler expected: Starlette raises it again once this
    answer has gone, and uvicorn logs it with its traceback."""
    request_id = (logs.request.get() or {}).get("request_id", "")
    return error(500, "internal error", headers={"x-request-id": request_id})


async def log_request(request: Request, call_next):
    """One line per request, written when the answer is ready; every line
    logged meanwhile carries the same method, path and id."""
    started = time.perf_counter()
    request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
    fields = {"method": request.method, "path": request.url.path}
    logs.request.set(fields | {"request_id": request_id})
    status = 500  # unless an answer comes back
    try:
        response = await call_next(request)
        status = response.status_code
        response.headers["x-request-id"] = request_id
        return response
    finally:
        latency_ms = round((time.perf_counter() - started) * 1000, 3)
        log.info("request", extra={"status": status, "latency_ms": latency_ms})


def create_app() -> FastAPI:
    """A new service with an empty store: each test can have its own."""
    app = FastAPI(title="users", version="0.1.0")
    app.state.users = {}
    app.include_router(router)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, crashed)
    app.middleware("http")(log_request)
    return app
