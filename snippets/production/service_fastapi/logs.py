"""Logs as JSON lines on stdout. Every line written while a request is served
carries its method, path and id, which the middleware in users.py sets."""

import contextvars
import datetime
import json
import logging
import sys

# The request being served, in this task: set by users.log_request.
request: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "request", default=None
)
LEVELS = {
    "error": logging.ERROR,
    "warn": logging.WARNING,
    "info": logging.INFO,
    "debug": logging.DEBUG,
}
# Every record has these attributes; any other came from `extra=`.
STANDARD = {*vars(logging.makeLogRecord({})), "message"}


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        when = datetime.datetime.fromtimestamp(record.created, datetime.UTC)
        line = {
            "timestamp": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
        }
        line |= request.get() or {}
        line |= {k: v for k, v in vars(record).items() if k not in STANDARD}
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, separators=(",", ":"), default=str)


def setup(level: str) -> None:
    """Every logger's records, uvicorn's included, as JSON lines on stdout."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonLines())
    logging.basicConfig(level=LEVELS[level], handlers=[handler], force=True)
