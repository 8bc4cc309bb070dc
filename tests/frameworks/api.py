"""The request suite every implementation of the users API answers: cases and a client."""

import http.client
import json
from typing import NamedTuple

ANN = {"name": "Ann", "email": "ann@example.com"}


def body(value) -> bytes:
    return json.dumps(value).encode()


class Case(NamedTuple):
    method: str
    path: str
    body: bytes | None = None
    json_content_type: bool = True


# The cases the behaviour table shows, in its order. (The valid requests are checked
# for identical answers by the tests; these are where frameworks may differ.)
CASES = {
    "valid user": Case("POST", "/users", body(ANN)),
    "name of 50 characters (é, 2 bytes each)": Case(
        "POST", "/users", body({**ANN, "name": "é" * 50})
    ),
    "malformed JSON": Case("POST", "/users", b'{"name": "Ann",'),
    "JSON array, not an object": Case("POST", "/users", body(["Ann", "ann@example.com"])),
    "JSON number, not an object": Case("POST", "/users", b"5"),
    "JSON null": Case("POST", "/users", b"null"),
    "name is a number": Case("POST", "/users", body({**ANN, "name": 5})),
    "name missing": Case("POST", "/users", body({"email": "ann@example.com"})),
    "empty name": Case("POST", "/users", body({**ANN, "name": ""})),
    "name of 51 characters": Case("POST", "/users", body({**ANN, "name": "a" * 51})),
    "email without @": Case("POST", "/users", body({**ANN, "email": "ann"})),
    "duplicate key (name twice)": Case(
        "POST", "/users", b'{"name": "Ann", "name": "Bob", "email": "bob@example.com"}'
    ),
    "JSON sent without Content-Type": Case("POST", "/users", body(ANN), False),
    "unknown id": Case("GET", "/users/999999"),
    "id not an integer": Case("GET", "/users/abc"),
    # Answered by the framework's router, not by a handler of the sample.
    "unmatched path": Case("GET", "/nope"),
    "unmatched method": Case("DELETE", "/users/1"),
}


class Answer(NamedTuple):
    status: int
    content_type: str
    json: object  # None when the body is not JSON
    text: str
    allow: str | None = None  # the Allow header, which a 405 must have


def call(port: int, case: Case) -> Answer:
    """One request on a fresh connection."""
    headers = {"Content-Type": "application/json"} if case.json_content_type and case.body else {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(case.method, case.path, body=case.body, headers=headers)
        response = conn.getresponse()
        raw = response.read().decode()
        content_type = response.getheader("content-type", "")
        allow = response.getheader("allow")
    finally:
        conn.close()
    try:
        parsed = json.loads(raw)
    except ValueError:
        parsed = None
    return Answer(response.status, content_type.split(";")[0], parsed, raw, allow)


def is_error_shape(answer: Answer) -> bool:
    """`{"error": "...", "field": "..." or null}`, as JSON."""
    value = answer.json
    return (
        answer.content_type == "application/json"
        and isinstance(value, dict)
        and set(value) == {"error", "field"}
        and isinstance(value["error"], str)
        and (value["field"] is None or isinstance(value["field"], str))
    )
