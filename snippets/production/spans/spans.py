"""A request's fields and the work its handler hands on. The formatter of
the Production service (logs.py) reads them from a ContextVar, which
asyncio.create_task and asyncio.to_thread copy into what they start, and
loop.run_in_executor does not."""

import asyncio
import contextvars
import json
import logging
import sys

# The request being served: set by the middleware (users.py's log_request).
request: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "request", default=None
)
log = logging.getLogger("spans")


class JsonLines(logging.Formatter):
    """logs.py's JSON lines, without the time, so that every run prints the
    same."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
        }
        line |= request.get() or {}
        return json.dumps(line, separators=(",", ":"))


async def handler() -> None:
    log.info("in the handler")
    # Each is awaited before the next starts: the lines come in order.
    await asyncio.create_task(in_a_task())
    await asyncio.to_thread(log.info, "in asyncio.to_thread")
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, log.info, "in loop.run_in_executor")


async def in_a_task() -> None:
    log.info("in asyncio.create_task")


async def main() -> None:
    output = logging.StreamHandler(sys.stdout)
    output.setFormatter(JsonLines())
    logging.basicConfig(level=logging.INFO, handlers=[output])
    # What the middleware does for a request: its handler runs after this.
    request.set({"method": "POST", "path": "/users", "request_id": "req-1"})
    await handler()


if __name__ == "__main__":
    asyncio.run(main())
