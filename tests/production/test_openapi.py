"""The two services' OpenAPI documents, compared: the page shows where they differ
(snippets/production/openapi.md, which this test writes). Then each service is fuzzed by
schemathesis from its own document, with a fixed seed and a bounded number of examples; the
Frameworks page's FastAPI service, whose document FastAPI wrote with no help, is fuzzed the
same way, and what schemathesis finds there is the page's table
snippets/production/fuzzing.md."""

import json
import pathlib
import re
import subprocess
import sys
import urllib.request

import pytest

from harness.servers import running
from harness.transcripts import GENERATED
from tests.production.conftest import FREE_PORT, PRODUCTION, command, services

TEST = "tests/production/test_openapi.py"
SEED = 1
MAX_EXAMPLES = 50  # per operation, in the fuzzing phase (schemathesis's --max-examples)
SCHEMATHESIS = pathlib.Path(sys.executable).with_name("schemathesis")
# Words for people and names for code generators: they say nothing about what is sent.
IGNORED = {"title", "description", "summary", "operationId", "examples"}


def document(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=10) as r:
        return json.load(r)


def resolved(doc: dict, node):
    """`node` with every $ref replaced by what it names, and the two ways of writing a
    nullable type (`anyOf` of types, a list of types) written one way."""
    if isinstance(node, list):
        return [resolved(doc, item) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return resolved(doc, doc["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]])
    out = {key: resolved(doc, value) for key, value in node.items() if key not in IGNORED}
    if "anyOf" in out and all(set(choice) == {"type"} for choice in out["anyOf"]):
        out["type"] = [choice["type"] for choice in out.pop("anyOf")]
    for key in ("type", "required"):
        if isinstance(out.get(key), list):
            out[key] = sorted(out[key])
    return out


def facts(doc: dict) -> dict[tuple[str, ...], object]:
    """Every leaf of what the document says about each operation: its parameters, its
    request body and each answer's body, keyed by where it stands."""
    found = {}

    def walk(where: tuple[str, ...], node) -> None:
        if isinstance(node, dict) and node:
            for key, value in node.items():
                walk((*where, key), value)
        else:
            found[where] = node

    for path, item in doc["paths"].items():
        for method, operation in item.items():
            here = (f"{method.upper()} {path}",)
            for parameter in operation.get("parameters", []):
                rest = {k: v for k, v in parameter.items() if k not in ("name", "in")}
                walk(
                    (*here, f"{parameter['in']} parameter {parameter['name']}"), resolved(doc, rest)
                )
            if "requestBody" in operation:
                walk((*here, "request body"), resolved(doc, operation["requestBody"]))
            for status, answer in operation["responses"].items():
                walk((*here, status), resolved(doc, answer.get("content")) or "no body")
    return found


def place(key: tuple[str, ...]) -> str:
    """Where a fact stands, in words: `GET /users/{user_id}`, answer 200, field `id`."""
    operation, *rest = key
    words = [f"`{operation}`"]
    for previous, part in zip(["", *rest], rest, strict=False):
        if part.isdigit():
            words.append(f"answer {part}")
        elif previous == "properties":
            words.append(f"field `{part}`")
        elif part not in ("application/json", "schema", "properties", "content"):
            words.append(part)
    return ", ".join(words)


def differences(rust: dict, python: dict) -> str:
    """The table of what only one document says, or says otherwise, one row per place."""
    rows: dict[str, tuple[list[str], list[str]]] = {}
    for key in sorted(set(rust) | set(python)):
        if rust.get(key) != python.get(key):
            left, right = rows.setdefault(place(key[:-1]), ([], []))
            for side, said in ((left, rust), (right, python)):
                if key in said:
                    side.append(f"`{key[-1]}: {json.dumps(said[key])}`")
    lines = [
        GENERATED.format(test=TEST),
        "",
        "| Where | Axum (utoipa) | FastAPI |",
        "| --- | --- | --- |",
    ]
    for where, (left, right) in rows.items():
        lines.append(f"| {where} | {', '.join(left) or '–'} | {', '.join(right) or '–'} |")
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_the_documents_differ_only_where_the_page_says(both, outputs):
    axum, fastapi = (facts(document(server.port)) for server in both.values())
    assert len(axum) > 20 and set(axum) & set(fastapi)  # the comparison compares something
    outputs.file(PRODUCTION / "openapi.md", differences(axum, fastapi))


def fuzz(port: int, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    """schemathesis's every check, every phase, from the service's own document."""
    return subprocess.run(
        [SCHEMATHESIS, "run", f"http://127.0.0.1:{port}/openapi.json", "--checks", "all"]
        + ["--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--workers", "1"]
        + ["--generation-database", "none", "--no-color"],
        cwd=cwd,  # it writes a folder of its own there
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow  # a load of a running service: a few hundred requests
@pytest.mark.parametrize("name", services())
def test_schemathesis_finds_nothing(name, request, tmp_path):
    with running(command(request, name), env=FREE_PORT) as server:
        done = fuzz(server.port, tmp_path)
        assert server.process.poll() is None
    assert done.returncode == 0, done.stdout + done.stderr
    generated = re.search(r"(\d+) generated, (\d+) passed", done.stdout)
    assert generated and int(generated[1]) == int(generated[2]) > 100, done.stdout


def findings(report: str) -> list[tuple[str, str, str]]:
    """(operation, check that failed, the answer that failed it: its status and body) for
    each failure the report lists."""
    found, where, failure, status = set(), None, None, None
    for line in report.splitlines():
        line = line.strip()
        if header := re.fullmatch(r"_+ (.+?) _+", line):
            where = header[1]
        elif check := re.fullmatch(r"- (ST\d+ .+)", line):
            failure = check[1]
        elif failure and (answer := re.match(r"\[(\d{3})\]", line)):
            status = answer[1]
        elif failure and status and line.startswith("`"):
            found.add((where, failure, f"{status}: {line}"))
            failure = status = None
    return sorted(found)


@pytest.mark.slow
def test_what_schemathesis_finds_in_the_frameworks_fastapi_service(outputs, tmp_path):
    sample = PRODUCTION.parent / "frameworks/users_fastapi/users_fastapi.py"
    with running([sys.executable, str(sample), "0"]) as server:
        done = fuzz(server.port, tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    found = findings(done.stdout)
    assert found, done.stdout
    lines = [GENERATED.format(test=TEST), "", "| Where | What schemathesis reported | Answer |"]
    lines += ["| --- | --- | --- |"]
    lines += [f"| {where} | {what} | {answer} |" for where, what, answer in found]
    outputs.file(PRODUCTION / "fuzzing.md", "\n".join(lines) + "\n")
