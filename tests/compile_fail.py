"""Compile-fail samples: Rust that must not build, next to the message rustc really gives.

Each one is a single `main.rs` outside the Cargo workspace with a `rustc.txt` beside it:
`$ rustc --version` and its answer, then the compile command and what rustc printed. The
message is compared in full under the toolchain rust-toolchain.toml names; under another
rustc (messages change between releases) only the error code is compared, with a warning, and
in CI that is a failure.
"""

import pathlib
import warnings

import pytest

from tests import toolchain, transcripts
from tests.transcripts import ROOT


def check(sample: pathlib.Path, code: str, update: bool, out_dir: pathlib.Path) -> None:
    path = sample / "rustc.txt"
    version_step, compile_step = transcripts.read(path)
    version = transcripts.run(version_step.command).stdout
    # --out-dir keeps a binary out of the repository should the sample ever compile.
    done = transcripts.run(compile_step.command, "--out-dir", str(out_dir))
    name = (sample / "main.rs").relative_to(ROOT)
    if done.returncode == 0:
        pytest.fail(
            f"{name} compiles now, but the page shows it failing with {code}", pytrace=False
        )
    if f"error[{code}]" not in done.stdout:
        pytest.fail(
            f"{name} no longer fails with {code}; rustc says:\n{done.stdout}", pytrace=False
        )
    if toolchain.problem() and not update:
        if toolchain.IN_CI:
            pytest.fail(f"{path.relative_to(ROOT)}: {toolchain.problem()}", pytrace=False)
        warnings.warn(
            f"{path.relative_to(ROOT)} was captured with {version_step.output.strip()}, this is "
            f"{version.strip()}: compared only the error code {code}, not the whole message",
            stacklevel=2,
        )
        return
    transcripts.check(path, update, [version, done.stdout])
