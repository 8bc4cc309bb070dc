"""What the tests and tools share: where the repository is, how a missing tool is reported,
the code blocks of a page as a reader sees them, and which shown files a run really checked."""

import hashlib
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
PAGES = sorted((ROOT / "docs").glob("*.md"))
IN_CI = os.environ.get("CI") == "true"


def target_dir() -> pathlib.Path:
    """cargo's target directory, CARGO_TARGET_DIR where set (.ci/run points it at a cache
    outside the clone, so that a new clone reuses earlier builds), made absolute for the cargo
    runs that start in other folders."""
    target = ROOT / os.environ.get("CARGO_TARGET_DIR", "target")
    os.environ["CARGO_TARGET_DIR"] = str(target)
    return target


# Every build the tests and tools make lives in here, beside cargo's own.
TARGET = target_dir()
# Projects and environments built from what the pages show, kept between runs like cargo's
# builds (tests/site/test_copy_paste.py; ./dev bench runs the Python samples there too).
COPIES = TARGET / "copy-paste"


def sample_of(test_file: str) -> pathlib.Path:
    """snippets/TOPIC/NAME/, the sample that tests/TOPIC/test_NAME.py tests."""
    test = pathlib.Path(test_file)
    return ROOT / "snippets" / test.parent.name / test.stem.removeprefix("test_")


def environment(
    files: dict[str, str], install: list[str], cwd: pathlib.Path, env: dict | None = None
) -> str:
    """The Python of a virtual environment into which `pip install *install` (run in `cwd`,
    which holds `files`, with `env`) succeeded: made new, unless one made from the same files
    exists."""
    key = hashlib.sha256(repr((sys.version, sorted(files.items()), install)).encode())
    venv = COPIES / "venvs" / key.hexdigest()[:16]
    python = str(venv / "bin/python")
    if (venv / "installed").is_file():
        return python
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, timeout=300)
    done = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", *install],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pip install {' '.join(install)} failed:\n{done.stdout}{done.stderr}")
    (venv / "installed").touch()
    return python


def require(condition: bool, what: str) -> None:
    """Skip a test that needs something this machine lacks; in CI (CI=true), fail it."""
    if not condition:
        if IN_CI:
            pytest.fail(f"CI must run this test, but {what}", pytrace=False)
        pytest.skip(what)


def rustc_edition(sample: pathlib.Path) -> str:
    """The edition a compile-fail sample (a folder with rustc.txt) is compiled under."""
    return re.search(r"--edition (\d+)", (sample / "rustc.txt").read_text())[1]


def replace_between(path: pathlib.Path, start: str, end: str, text: str) -> None:
    """Rewrite what stands between two marker lines of a file (generated tables)."""
    content = path.read_text()
    head, rest = content.split(start)
    _, tail = rest.split(end)
    path.write_text(f"{head}{start}\n{text}\n{end}{tail}")


# --- which shown files the run checked --------------------------------------------------

# The run's record: a directory that the process starting the run names here (conftest.py);
# each process of the run (one, or pytest-xdist's workers) appends to a file of its own.
RECORD = "RUST_FOR_BACKEND_CHECKED"


def checked(*paths: pathlib.Path) -> None:
    """Record that this run compared, built, ran or installed these files as a page shows
    them; at its end, a whole run holds every block on a page to that record (unchecked)."""
    record = os.environ.get(RECORD)
    if record:
        with open(pathlib.Path(record) / f"checked-{os.getpid()}.txt", "a") as file:
            file.writelines(f"{pathlib.Path(p).resolve()}\n" for p in paths)


def checked_in(record: pathlib.Path) -> set[pathlib.Path]:
    return {
        pathlib.Path(line)
        for part in record.glob("checked-*.txt")
        for line in part.read_text().splitlines()
    }


INCLUDE = re.compile(r"""^[ \t]*-+8<-+[ \t]+["'](?P<path>[^"':]+)""", re.MULTILINE)
# An include of one section of a file (`--8<-- "path:name"`, between `--8<-- [start:name]`
# and `[end:name]` lines of the file): part of a program, whose whole file a page shows too.
SECTION = re.compile(
    r"""^[ \t]*-+8<-+[ \t]+["'](?P<path>[^"':]+):(?P<name>[a-z][-_0-9a-z]*)["']""", re.M
)


def process_state() -> dict[str, object]:
    """What a test could leave changed for the tests after it in the same process."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    return {"environment": environment, "sys.path": list(sys.path), "cwd": os.getcwd()}


def unchanged_since(before: dict[str, object]) -> None:
    """Fails, naming each change, if the process's state is not what it was: the tests after
    would pass or fail by the order they run in. Fixtures hand such things to the processes
    that need them and undo them."""
    after = process_state()
    changed = [
        f"{what}: {before[what]!r} -> {after[what]!r}"
        for what in ("sys.path", "cwd")
        if before[what] != after[what]
    ]
    old, new = before["environment"], after["environment"]
    changed += [
        f"${name}: {old.get(name)!r} -> {new.get(name)!r}"
        for name in sorted(old.keys() | new.keys())
        if old.get(name) != new.get(name)
    ]
    assert not changed, "left changed:\n" + "\n".join(changed)
