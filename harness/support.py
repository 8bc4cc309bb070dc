"""What the tests and tools share: where the repository is, how a missing tool is reported,
the code blocks of a page as a reader sees them, and which shown files a run really checked."""

import dataclasses
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

CHECKED: set[pathlib.Path] = set()


def checked(*paths: pathlib.Path) -> None:
    """Record that this run compared, built, ran or installed these files as a page shows
    them; tests/site/test_code_blocks.py holds every block on a page to that record."""
    CHECKED.update(pathlib.Path(p).resolve() for p in paths)


# --- code blocks of a page --------------------------------------------------------------

TITLE = re.compile(r'title="(?P<path>[^"]+)"')


@dataclasses.dataclass
class Block:
    line: int  # where the fence opens in the page, 1-based
    lang: str
    title: str | None
    source: str  # the block as written in the page
    rendered: str  # as the reader sees and copies it: includes filled, markers hidden


def code_blocks(page: pathlib.Path) -> list[Block]:
    # Imported here: reader_view imports this module for ROOT.
    from markdown_it import MarkdownIt

    from harness.reader_view import as_rendered, lift_containers

    blocks = []
    for token in MarkdownIt("commonmark").parse(lift_containers(page.read_text())):
        if token.type == "fence":
            info = token.info.strip("{} ").split()
            lang = info[0].lstrip(".") if info else ""
            title = TITLE.search(token.info)
            blocks.append(
                Block(
                    token.map[0] + 1,
                    lang,
                    title["path"] if title else None,
                    token.content,
                    as_rendered(token.content),
                )
            )
    return blocks
