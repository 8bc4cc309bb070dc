"""Starts the service: settings from the environment (or exit at once, saying
which is wrong), logs as JSON lines, and uvicorn."""

import logging
import signal
import socket
import sys

import uvicorn
from pydantic import ValidationError

import logs
from settings import Settings
from users import create_app

log = logging.getLogger("users")


class Server(uvicorn.Server):
    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        host, port = sockets[0].getsockname()
        log.info("Listening on http://%s:%d", host, port)


def main() -> None:
    try:
        settings = Settings()
    except ValidationError as err:
        for problem in err.errors(include_url=False):
            name = "APP_" + "_".join(map(str, problem["loc"])).upper()
            value, message = problem["input"], problem["msg"]
            print(f"error: {name}={value!r}: {message}", file=sys.stderr)
        sys.exit(1)
    logs.setup(settings.log_level)
    # SIGTERM stops it as Ctrl+C does (uvicorn handles both once it runs).
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    address = f"127.0.0.1:{settings.port}"
    try:
        sock = socket.create_server(("127.0.0.1", settings.port))
    except OSError as err:
        sys.exit(f"error: cannot listen on {address}: {err.strerror}")
    config = uvicorn.Config(
        create_app(),
        lifespan="off",
        log_config=None,  # uvicorn's own records go through logs.setup too
        log_level="warning",  # of those, only its warnings and errors
        access_log=False,  # the middleware logs every request instead
        timeout_graceful_shutdown=settings.grace_seconds,
    )
    try:
        Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn re-raises the signal once it has shut down


if __name__ == "__main__":
    main()
