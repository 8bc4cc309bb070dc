"""The Home page's table of versions comes from what is pinned and installed, not from memory."""

import importlib.metadata
import sys
import tomllib

from harness import toolchain, transcripts
from harness.support import ROOT
from tools import upgrade

TABLE = ROOT / "snippets/index/versions.md"
CRATES = ["hyper", "hyper-util", "http-body-util", "tokio"]
PACKAGES = ["uvicorn", "httptools", "uvloop"]


def locked() -> dict[str, list[str]]:
    versions: dict[str, list[str]] = {}
    for package in tomllib.loads((ROOT / "Cargo.lock").read_text())["package"]:
        versions.setdefault(package["name"], []).append(package["version"])
    return versions


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def table() -> str:
    crates = locked()
    rows = [("Rust compiler", f"{toolchain.pinned()} (`rust-toolchain.toml`)")]
    rows += [
        (f"`{name}` crate", ", ".join(sorted(crates[name], key=version_key, reverse=True)))
        for name in CRATES
    ]
    rows.append(("Python", f"{sys.version_info.major}.{sys.version_info.minor}"))
    rows += [(f"`{name}` package", importlib.metadata.version(name)) for name in PACKAGES]
    moved = upgrade.pins_moved_on()
    rows.append(
        (
            "Pins last moved to the newest releases",
            f"{moved} (`./dev upgrade`)" if moved else "not yet (`./dev upgrade` does it)",
        )
    )
    lines = [transcripts.GENERATED.format(test="tests/index/test_versions.py")]
    lines += ["| Tool or library | Version |", "| --- | --- |"]
    lines += [f"| {what} | {version} |" for what, version in rows]
    return "\n".join(lines) + "\n"


def test_versions_table(outputs):
    outputs.file(TABLE, table())


def test_python_packages_are_the_pinned_ones():
    """The table reads the installed packages; they must be requirements.txt's pins."""
    pins = dict(
        line.split("==")
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    for name in PACKAGES:
        assert pins[name] == importlib.metadata.version(name), name
