"""What a page shows is enough to run its sample in a project of your own.

For each Rust project on a page, its `Cargo.toml` and `src/main.rs` exactly as the page shows
them (what the copy button copies) become a cargo project of its own (it lives in cargo's
target directory, which the workspace excludes). It is built with the workspace's
`Cargo.lock` copied in, so with the very versions the pages were made with: the test fails if
cargo would lock any other. A Python sample that needs packages runs in a virtual environment
with only the `requirements.txt` its page shows.

The projects and environments are kept in TARGET/copy-paste, like cargo's builds: a project's
files are rewritten only when the page changed them, and an environment is named by the hash
of everything installed into it, so a run with nothing changed reuses the last one's.
"""

import os
import pathlib
import shlex
import subprocess
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from harness import toolchain, transcripts
from harness.servers import running
from harness.support import COPIES, PAGES, ROOT, checked, code_blocks, environment

WORKSPACE = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]["members"]
MEMBERS = [member for member in WORKSPACE if (ROOT / member / "src/main.rs").is_file()]
# Python modules written in Rust: built with `pip install .`, as their page says.
EXTENSIONS = [member for member in WORKSPACE if (ROOT / member / "pyproject.toml").is_file()]


def shown_files() -> dict[str, str]:
    """path in a block's title -> the block's text, as a reader sees it, over all pages."""
    return {b.title: b.rendered for page in PAGES for b in code_blocks(page) if b.title}


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


def build(command: list[str], cwd: pathlib.Path) -> subprocess.CompletedProcess:
    """cargo, or pip building a Rust extension, with the copy-paste target directory."""
    return subprocess.run(
        command,
        cwd=cwd,
        env=cargo_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )


def is_server(member: str) -> bool:
    return "_server" in member or member.startswith(("snippets/frameworks/", "snippets/databases/"))


@pytest.mark.slow
@pytest.mark.parametrize("member", MEMBERS)
def test_rust_sample_builds_from_the_page(member, rust_toolchain, request):
    if member.startswith("snippets/databases/"):
        request.getfixturevalue("database")  # SQLx checks its queries against it as it builds
    shown = shown_files()
    for name in ("Cargo.toml", "src/main.rs"):
        assert f"{member}/{name}" in shown, f"no page shows {member}/{name}"
    project = write_project(
        COPIES / "projects" / pathlib.Path(member).name,
        {
            **{name: shown[f"{member}/{name}"] for name in ("Cargo.toml", "src/main.rs")},
            "Cargo.lock": (ROOT / "Cargo.lock").read_text(),
        },
    )
    done = build(["cargo", "build", "-q"], project)
    assert done.returncode == 0, done.stderr
    changed = locked(project / "Cargo.lock") - locked(ROOT / "Cargo.lock")
    assert not changed, f"cargo locked other versions than the workspace: {sorted(changed)}"

    binary = str(COPIES / "debug" / tomllib.loads(shown[f"{member}/Cargo.toml"])["package"]["name"])
    if is_server(member):
        with running([binary, "0"]) as server:
            assert server.request("GET", "/health")[:1] == (200,)  # every server has it
    else:
        done = subprocess.run([binary], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and done.stdout, done.stderr
    checked(ROOT / member / "Cargo.toml", ROOT / member / "src/main.rs")


def cargo_env() -> dict[str, str]:
    return {
        **os.environ,
        "RUSTFLAGS": "-D warnings",  # as in the workspace, so dependencies are reused
        "CARGO_TARGET_DIR": str(COPIES),
        "RUSTUP_TOOLCHAIN": os.environ.get("RUSTUP_TOOLCHAIN") or toolchain.pinned(),
    }


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
def test_python_sample_runs_with_only_what_the_page_names(requirements, tmp_path, request):
    if requirements.startswith("snippets/databases/"):
        request.getfixturevalue("database")
    shown = shown_files()
    folder = pathlib.PurePath(requirements).parent
    (script,) = [
        path for path in shown if pathlib.PurePath(path).parent == folder and path.endswith(".py")
    ]
    files = {"requirements.txt": shown[requirements]}
    python = environment(files, ["-r", "requirements.txt"], cwd=write_project(tmp_path, files))
    (tmp_path / "sample.py").write_text(shown[script])
    with running([python, str(tmp_path / "sample.py"), "0"]) as server:
        assert server.request("GET", "/health")[:1] == (200,)  # every server has it
    checked(ROOT / requirements)
