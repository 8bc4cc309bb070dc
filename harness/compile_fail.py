"""Compile-fail samples: Rust that must not build, next to the message rustc really gives.

Each one is a single `main.rs` outside the Cargo workspace with a `rustc.txt` beside it:
`$ rustc --version` and its answer, then the compile command and what rustc printed. The
message is compared in full under the toolchain rust-toolchain.toml names; under another
rustc (messages change between releases) only the first error is compared, by its code where
it has one, with a warning; in CI that is a failure. tests/test_compile_fail.py runs every
sample that has a `rustc.txt`; tests/test_outputs.py the Python twin beside it.
"""

import pathlib
import warnings

import pytest

from harness import toolchain, transcripts
from harness.support import IN_CI, ROOT, checked


def first_error(message: str) -> str:
    """What a message is compared by under another rustc: its error code (`error[E0382]`)
    or, for an error without one, the whole first `error:` line."""
    line = next((line for line in message.splitlines() if line.startswith("error")), "")
    return line.split(":")[0] if line.startswith("error[") else line


def check(outputs: transcripts.Outputs, sample: pathlib.Path, out_dir: pathlib.Path) -> None:
    path = sample / "rustc.txt"
    version_step, compile_step = transcripts.read(path)
    expected = first_error(compile_step.output)
    version = transcripts.run(version_step.command).stdout
    # --out-dir keeps a binary out of the repository should the sample ever compile.
    done = transcripts.run(compile_step.command, "--out-dir", str(out_dir))
    name = (sample / "main.rs").relative_to(ROOT)
    if done.returncode == 0:
        pytest.fail(
            f"{name} compiles now, but the page shows it failing: {expected}", pytrace=False
        )
    if first_error(done.stdout) != expected and not outputs.update:
        pytest.fail(
            f"{name} no longer fails with {expected}; rustc says:\n{done.stdout}", pytrace=False
        )
    checked(sample / "main.rs")
    if toolchain.problem() and not outputs.update:
        if IN_CI:
            pytest.fail(f"{path.relative_to(ROOT)}: {toolchain.problem()}", pytrace=False)
        warnings.warn(
            f"{path.relative_to(ROOT)} was captured with {version_step.output.strip()}, this is "
            f"{version.strip()}: compared only `{expected}`, not the whole message",
            stacklevel=2,
        )
        checked(path)
        return
    outputs.check(path, [version, done.stdout])
