"""What a page shows is enough to run its sample in a project of your own.

Every file the pages show (what the copy buttons copy) is written at its own path under
PAGES_COPY, as a reader who copied them all would have them, and each sample is built and run
there, away from the workspace: a Rust project with the workspace's `Cargo.lock` copied in,
so with the very versions the pages were made with (the test fails if cargo would lock any
other); a Python sample in a virtual environment holding only the `requirements.txt` its page
shows. Each then does what its output files show, compared as tests/test_outputs.py compares
them (the copy's tests, or its program with the page's arguments), and a server starts and
answers.

The copies and environments are kept in TARGET/copy-paste, like cargo's builds: a file is
rewritten only when the page changed it, and an environment is named by the hash of everything
installed into it, so a run with nothing changed reuses the last one's.
"""

import contextlib
import fcntl
import functools
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from harness import toolchain, transcripts
from harness.reader_view import code_blocks
from harness.servers import running
from harness.support import COPIES, PAGES, ROOT, checked, environment

WORKSPACE = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["members"]
# Python modules written in Rust: built with `pip install .`, as their page says.
EXTENSIONS = [
    member
    for member in WORKSPACE
    if (ROOT / member / "pyproject.toml").is_file()
    and "maturin" in (ROOT / member / "pyproject.toml").read_text()
]
MEMBERS = [member for member in WORKSPACE if member not in EXTENSIONS]
# Every file the pages show, at its own path, once for each sample (PAGES_COPY/NAME/...): a
# sample finds what it refers to outside its folder (the users_db tests apply the Databases
# page's migrations) where the page has it, and no other test writes over its copy.
PAGES_COPY = COPIES / "pages"


@functools.cache
def shown_files() -> dict[str, str]:
    """path in a block's title -> the block's text, as a reader sees it, over all pages."""
    return {
        b.title: b.rendered
        for page in PAGES
        for b in code_blocks(page)
        if b.title and b.title.startswith("snippets/") and b.section is None
    }


def locked(lock: pathlib.Path) -> set[tuple[str, str, str | None]]:
    return {
        (p["name"], p["version"], p.get("checksum"))
        for p in tomllib.loads(lock.read_text())["package"]
        if "source" in p  # crates, not the sample itself
    }


def write_project(folder: pathlib.Path, files: dict[str, str]) -> pathlib.Path:
    """`folder` holding `files` (relative path -> text); files whose text is already there
    keep their time stamps, so cargo finds its last build of them still fresh."""
    for name, text in files.items():
        path = folder / name
        if not path.is_file() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    return folder


def copy_of(folder: str) -> pathlib.Path:
    """Every shown file written under PAGES_COPY/NAME (the folder's last part); `folder` (a
    sample's) there, with the workspace's Cargo.lock for a Rust project. One copy of a
    package only: cargo would take two copies in its target directory for one, and a build of
    either for a build of both."""
    forget_the_old_layout()
    shown = dict(shown_files())
    if (ROOT / folder / "Cargo.toml").is_file():
        shown[f"{folder}/Cargo.lock"] = (ROOT / "Cargo.lock").read_text()
    root = PAGES_COPY / pathlib.PurePath(folder).name
    write_project(root, shown)
    return root / folder


@functools.cache
def forget_the_old_layout() -> None:
    """cargo keeps one record of a package's build whatever its folder (the record names its
    files): copies in the layout before this one (TARGET/copy-paste/projects/NAME, still in
    the caches of machines that ran it) would make it take these for built."""
    shutil.rmtree(COPIES / "projects", ignore_errors=True)


@contextlib.contextmanager
def copied(folder: str):
    """copy_of(folder), held for this process alone until the block ends: the SQLx
    sample's tests (tests/databases/test_users_sqlx.py, on another worker) edit its copy."""
    PAGES_COPY.mkdir(parents=True, exist_ok=True)
    with open(PAGES_COPY / f"{pathlib.PurePath(folder).name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield copy_of(folder)


def shown_in(folder: str) -> list[str]:
    return [path for path in shown_files() if path.startswith(f"{folder}/")]


def needs_a_database(folder: str) -> bool:
    return any("DATABASE_URL" in shown_files()[path] for path in shown_in(folder))


def does_what_its_page_shows(
    folder: str, language: str, env: dict, python: str = sys.executable
) -> None:
    """Each output file's commands (but a server's), run in the folder's copy, print what the
    page shows; cargo finds the copy by its manifest instead of the workspace's `-p NAME`."""
    root = copy_of(folder).parents[len(pathlib.PurePath(folder).parts) - 1]
    manifest = f"--manifest-path {folder}/Cargo.toml"
    for path in sorted((ROOT / folder).glob(f"output*.{language}.txt")):
        if transcripts.is_server(path):
            continue
        normalise = transcripts.normaliser(path)
        for step in transcripts.read(path):
            command = step.command
            if re.search(r"\bcargo \w+", command):
                command = re.sub(r"-p \w+", manifest, command, count=1)
            done = transcripts.run(command, cwd=root, env=env, python=python, timeout=900)
            assert done.returncode == 0, f"{command}:\n{done.stdout}"
            assert normalise(done.stdout) == normalise(step.output), transcripts.diff(
                path, step.output, done.stdout
            )


def serves(argv: list, source: str) -> None:
    """A server sample (it prints `Listening on`) starts on a free port, from its argument
    or APP_PORT, and answers."""
    if "Listening on" in source:
        with running([*argv, "0"], env={"APP_PORT": "0"}, timeout=120) as server:
            assert server.request("GET", "/health")[0] < 500


@pytest.mark.slow
@pytest.mark.parametrize("member", MEMBERS)
def test_rust_sample_builds_and_runs_from_the_page(member, rust_toolchain, request):
    env = {}
    if needs_a_database(member):  # SQLx checks its queries against it; tests use it
        env["DATABASE_URL"] = request.getfixturevalue("database").url
    files = shown_in(member)
    assert f"{member}/Cargo.toml" in files, f"no page shows {member}/Cargo.toml"
    with copied(member) as project:
        done = transcripts.run(
            "cargo build -q", cwd=project, env=cargo_settings() | env, timeout=900
        )
        assert done.returncode == 0, done.stdout
        changed = locked(project / "Cargo.lock") - locked(ROOT / "Cargo.lock")
        assert not changed, f"cargo locked other versions than the workspace: {sorted(changed)}"

        name = tomllib.loads(shown_files()[f"{member}/Cargo.toml"])["package"]["name"]
        serves([COPIES / "debug" / name], shown_files().get(f"{member}/src/main.rs", ""))
        does_what_its_page_shows(member, "rust", cargo_settings() | env)
    # What the build and the output files' commands read: all but the Python beside it.
    checked(*(ROOT / path for path in files if not path.endswith(".py")))


def cargo_settings() -> dict[str, str]:
    """What the copies' cargo runs with, beside the environment."""
    return {
        "RUSTFLAGS": "-D warnings",  # as in the workspace, so dependencies are reused
        "CARGO_TARGET_DIR": str(COPIES),
        "RUSTUP_TOOLCHAIN": os.environ.get("RUSTUP_TOOLCHAIN") or toolchain.pinned(),
    }


def cargo_env() -> dict[str, str]:
    return {**os.environ, **cargo_settings()}


@pytest.mark.slow
@pytest.mark.parametrize("member", EXTENSIONS)
def test_python_module_in_rust_installs_with_pip_from_the_page(member, rust_toolchain, tmp_path):
    """`pip install .` in a new virtual environment, in a folder holding the files the page
    shows (pip fetches the pinned maturin), then the page's program, run by that Python."""
    shown = shown_files()
    files = {
        name: shown[f"{member}/{name}"] for name in ("Cargo.toml", "pyproject.toml", "src/lib.rs")
    }
    files["Cargo.lock"] = (ROOT / "Cargo.lock").read_text()
    project = write_project(tmp_path / "project", files)
    python = environment(files, ["."], cwd=project, env=cargo_env())
    changed = locked(project / "Cargo.lock") - locked(ROOT / "Cargo.lock")
    assert not changed, f"cargo locked other versions than the workspace: {sorted(changed)}"

    (step,) = transcripts.read(ROOT / member / "output.python.txt")
    script, *args = shlex.split(step.command)[1:]
    (tmp_path / "program.py").write_text(shown[script])
    done = subprocess.run(
        [python, str(tmp_path / "program.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stdout) == (0, step.output), done.stderr
    checked(*(ROOT / member / name for name in ("Cargo.toml", "pyproject.toml", "src/lib.rs")))


def pins(text: str) -> dict[str, str]:
    """name -> pinned version, names normalised as pip compares them (Flask is flask,
    `uvicorn[standard]` is uvicorn)."""
    found = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            (pin,) = requirement.specifier
            assert pin.operator == "==", f"not pinned: {line}"
            found[canonicalize_name(requirement.name)] = pin.version
    return found


def requirement_files() -> list[str]:
    return [path for path in shown_files() if path.endswith("requirements.txt")]


@pytest.mark.parametrize("requirements", requirement_files())
def test_python_versions_shown_are_the_pinned_ones(requirements):
    project = pins((ROOT / "requirements.txt").read_text())
    for name, version in pins(shown_files()[requirements]).items():
        assert project.get(name) == version, f"{requirements} says {name}=={version}"


@pytest.mark.slow
@pytest.mark.parametrize("requirements", requirement_files())
def test_python_sample_runs_with_only_what_the_page_names(requirements, request):
    folder = str(pathlib.PurePath(requirements).parent)
    env = {}
    if needs_a_database(folder):
        env["DATABASE_URL"] = request.getfixturevalue("database").url
    files = {"requirements.txt": shown_files()[requirements]}
    scripts = [path for path in shown_in(folder) if path.endswith(".py")]
    with copied(folder) as project:
        python = environment(files, ["-r", "requirements.txt"], cwd=project)
        for script in scripts:
            copy = project / pathlib.PurePath(script).relative_to(folder)
            serves([python, copy], shown_files()[script])
        does_what_its_page_shows(folder, "python", env, python=python)
    rust = (".rs", "Cargo.toml")  # the Rust beside it is the other test's
    checked(*(ROOT / path for path in shown_in(folder) if not path.endswith(rust)))
