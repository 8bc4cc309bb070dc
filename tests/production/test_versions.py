"""The Production page's table of versions, from Cargo.lock and requirements.txt."""

import tomllib

from harness import transcripts
from harness.support import ROOT
from tests.production.conftest import PRODUCTION

CRATES = [
    "axum",
    "tower-http",
    "tracing",
    "tracing-subscriber",
    "utoipa",
    "utoipa-axum",
    "figment",
    "thiserror",
    "anyhow",
    "sqlx",
    "actix-web",
    "rocket",
]
PACKAGES = [
    "fastapi",
    "pydantic",
    "pydantic-settings",
    "uvicorn",
    "httpx2",
    "pytest",
    "psycopg",
    "flask",
    "schemathesis",
]


def table() -> str:
    locked: dict[str, list[str]] = {}
    for package in tomllib.loads((ROOT / "Cargo.lock").read_text())["package"]:
        locked.setdefault(package["name"], []).append(package["version"])
    pinned = dict(
        line.lower().split("==")
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    crates = [f"{name} {', '.join(locked[name])}" for name in CRATES]
    packages = [f"{name} {pinned[name]}" for name in PACKAGES]
    lines = [transcripts.GENERATED.format(test="tests/production/test_versions.py"), ""]
    lines += ["| Rust crates | Python packages |", "| --- | --- |"]
    for i in range(max(len(crates), len(packages))):
        left = crates[i] if i < len(crates) else ""
        right = packages[i] if i < len(packages) else ""
        lines.append(f"| {left} | {right} |")
    return "\n".join(lines) + "\n"


def test_versions_table(outputs):
    outputs.file(PRODUCTION / "versions.md", table())
