"""Every compile-fail sample (a folder with `rustc.txt`): Rust refuses it with the message
the page shows. Its Python twin's output, where it has one, is checked with every other
output file (tests/test_outputs.py)."""

import pytest

from harness import compile_fail
from harness.support import ROOT

SAMPLES = sorted(path.parent for path in (ROOT / "snippets").rglob("rustc.txt"))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_rust_refuses_it(sample, rust_toolchain, outputs, tmp_path):
    compile_fail.check(outputs, sample, tmp_path)
