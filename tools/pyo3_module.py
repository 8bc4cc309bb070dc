"""Build the PyO3 sample of the Concurrency page into a folder Python imports it from.

maturin builds a wheel (as `pip install .` would, but with the workspace's `Cargo.lock`);
pip unpacks it into `<into>/site`, which goes on `sys.path` or
`PYTHONPATH`. The tests build it in debug mode, `./dev bench` in release mode.

maturin builds in a target directory of its own: it configures PyO3 differently from a
plain `cargo build --workspace`, and in a shared one each would rebuild PyO3 after the other.
"""

import os
import pathlib
import subprocess
import sys

from harness.support import ROOT, TARGET

SAMPLE = ROOT / "snippets/concurrency/prime_count_pyo3"


def run(command: list[str]) -> None:
    done = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "CARGO_TARGET_DIR": str(TARGET / "maturin")},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


def build(into: pathlib.Path, release: bool) -> pathlib.Path:
    wheels, site = into / "wheels", into / "site"
    run(
        [
            *(sys.executable, "-m", "maturin", "build", "--locked", "-q"),
            *("--interpreter", sys.executable, "-m", str(SAMPLE / "Cargo.toml")),
            *("--out", str(wheels), *(["--release"] if release else [])),
        ]
    )
    (wheel,) = wheels.glob("*.whl")
    run(
        [
            *(sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check"),
            *("--no-deps", "--upgrade", "--target", str(site), str(wheel)),
        ]
    )
    return site
