"""./dev upgrade: every pin moved to the newest release its range allows, every output
rewritten from a fresh run, the suite run, and a short report of what moved, which outputs
changed, which pages name a version that moved, and what failed.

- crates: `cargo update` (within each Cargo.toml's ranges), into Cargo.lock;
- Python: requirements.in resolved anew into requirements.txt, and each sample's
  requirements.txt given the project's new pin of each package it names;
- npm: `npm update` (within package.json's ranges), into package-lock.json, which
  `npm install` then completes.
The Rust toolchain stays where rust-toolchain.toml pins it (./dev update-rustc moves it).
"""

import argparse
import datetime
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from harness.support import ROOT

# requirements.txt's line that says when ./dev upgrade last moved the pins (the Home page's
# versions table shows the date; ./dev lock keeps the line).
MOVED = re.compile(r"^# Pins moved to the newest releases on (\d{4}-\d{2}-\d{2})", re.MULTILINE)
HEADER = "# Pinned by ./dev lock from requirements.in; install with pip install -r requirements.txt"


def pins_moved_on() -> str | None:
    found = MOVED.search((ROOT / "requirements.txt").read_text())
    return found[1] if found else None


def crates() -> dict[str, str]:
    lock = tomllib.loads((ROOT / "Cargo.lock").read_text())
    return {p["name"]: p["version"] for p in lock["package"] if "source" in p}


def python_pins(text: str) -> dict[str, str]:
    found = {}
    for line in text.splitlines():
        if "==" in line and not line.startswith("#"):
            requirement = Requirement(line)
            found[canonicalize_name(requirement.name)] = next(iter(requirement.specifier)).version
    return found


def npm() -> dict[str, str]:
    lock = json.loads((ROOT / "package-lock.json").read_text())
    return {
        path.removeprefix("node_modules/"): entry["version"]
        for path, entry in lock["packages"].items()
        if path.startswith("node_modules/") and "version" in entry
    }


def run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    print("$", " ".join(argv), file=sys.stderr, flush=True)
    return subprocess.run(argv, cwd=ROOT, **kwargs)


def move_python(today: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        python = pathlib.Path(folder) / "bin/python"
        run([sys.executable, "-m", "venv", folder], check=True)
        pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        run([*pip, "-r", "requirements.in"], check=True)
        frozen = run(
            [str(python), "-m", "pip", "freeze", "--all", "--exclude", "pip"]
            + ["--exclude", "setuptools"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    moved = f"# Pins moved to the newest releases on {today} by ./dev upgrade"
    (ROOT / "requirements.txt").write_text(f"{HEADER}\n{moved}\n{frozen}")
    new = python_pins(frozen)
    for path in (ROOT / "snippets").rglob("requirements.txt"):
        lines = []
        for line in path.read_text().splitlines():
            if "==" in line and not line.startswith("#"):
                requirement = Requirement(line)
                name = canonicalize_name(requirement.name)
                line = re.sub(r"==\S+", f"=={new[name]}", line)
            lines.append(line)
        path.write_text("\n".join(lines) + "\n")


def moves(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return [
        f"{name} {before.get(name, '(new)')} → {after.get(name, '(gone)')}"
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    ]


def pages_naming(old_versions: dict[str, str]) -> list[str]:
    """Lines of the pages (and README) that name a package with the version it had."""
    found = []
    for page in [
        *sorted((ROOT / "docs").glob("*.md")),
        *(ROOT / name for name in ("README.md", "CONTRIBUTING.md", "MAINTAINING.md")),
    ]:
        for number, line in enumerate(page.read_text().splitlines(), start=1):
            for name, version in old_versions.items():
                near = rf"\b{re.escape(name)}\b[^|\n]{{0,20}}\b{re.escape(version)}\b"
                if re.search(near, line, re.IGNORECASE):
                    found.append(f"{page.relative_to(ROOT)}:{number}: {name} {version}")
    return found


def dev_test(*args: str) -> tuple[bool, str]:
    """./dev test with `args`: whether it passed, and pytest's summary line."""
    done = run(["./dev", "test", *args], capture_output=True, text=True)
    lines = (done.stdout + done.stderr).strip().splitlines()
    summary = next(
        (line for line in reversed(lines) if re.search(r"passed|failed|error", line)), ""
    )
    failures = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    return done.returncode == 0, "\n".join([summary.strip("= "), *failures])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev upgrade", description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=pathlib.Path, help="also write the report here")
    parser.add_argument(
        "--no-tests", action="store_true", help="move the pins only: no outputs, no suite"
    )
    args = parser.parse_args(argv)
    today = datetime.date.today().isoformat()
    before = {"crates": crates(), "Python": python_pins((ROOT / "requirements.txt").read_text())}
    before["npm"] = npm()

    run(["cargo", "update"], check=True)
    move_python(today)
    quiet = ["--no-audit", "--no-fund", "--loglevel=error"]
    run(["npm", "update", *quiet], check=True)
    # npm 11's update can leave a nested package out of the lock (seen on 2026-12-04: a
    # dependency declared as `latest`), and `npm ci` then refuses it; install completes it.
    run(["npm", "install", *quiet], check=True)

    after = {"crates": crates(), "Python": python_pins((ROOT / "requirements.txt").read_text())}
    after["npm"] = npm()
    report = [f"# ./dev upgrade, {today}", ""]
    for kind in before:
        moved = moves(before[kind], after[kind])
        report += [f"## {kind}: {len(moved)} moved", "", *(f"- {m}" for m in moved), ""]
    old = {
        name: version
        for kind in ("crates", "Python")
        for name, version in before[kind].items()
        if after[kind].get(name) != version
    }
    stale = pages_naming(old)
    report += ["## Pages that name a version that moved", "", *(f"- {s}" for s in stale)]
    report += ["" if stale else "None.", ""]
    passed = True
    if not args.no_tests:
        rewrote, summary = dev_test("--update-outputs")
        changed = run(
            [
                "git",
                "status",
                "--porcelain",
                "--",
                "snippets",
                "docs",
                "README.md",
                "MAINTAINING.md",
            ],
            capture_output=True,
            text=True,
        ).stdout.splitlines()
        report += ["## Outputs rewritten", "", *(f"- {line[3:]}" for line in changed), ""]
        if not changed:
            report += ["None.", ""]
        passed, summary = dev_test()
        report += [f"## The suite: {'passed' if passed else 'FAILED'}", "", summary, ""]
        passed = passed and rewrote
    text = "\n".join(report)
    print(text)
    if args.report:
        args.report.write_text(text)
    return 0 if passed else 1


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
