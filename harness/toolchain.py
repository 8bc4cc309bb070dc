"""The project's one Rust toolchain, named in rust-toolchain.toml.

Compiler messages on the pages come from it. Under another rustc the tests compare less (the
first error, not the whole message) and say so; in CI (CI=true) another rustc is a failure.
"""

import functools
import shutil
import subprocess
import tomllib

from harness.support import ROOT, require


def pinned() -> str:
    """The version rust-toolchain.toml names, such as 1.95.0."""
    return tomllib.loads((ROOT / "rust-toolchain.toml").read_text())["toolchain"]["channel"]


@functools.cache
def rustc_version() -> str | None:
    """`rustc --version` as this machine answers it in the repository, or None."""
    if not shutil.which("cargo") or not shutil.which("rustc"):
        return None
    done = subprocess.run(
        ["rustc", "--version"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    return done.stdout.strip() if done.returncode == 0 else None


def problem() -> str | None:
    """Why the Rust samples cannot be built here as the pages were made, or None."""
    version = rustc_version()
    if version is None:
        return (
            f"no working cargo and rustc here; install rustup, then `rustup toolchain install "
            f"{pinned()} -c clippy,rustfmt`"
        )
    if not version.startswith(f"rustc {pinned()} "):
        return f"rust-toolchain.toml names {pinned()}, but this is {version}"
    return None


def require_cargo() -> None:
    """For checks that need cargo but no build: skip without it, fail in CI."""
    require(rustc_version() is not None, str(problem()))
