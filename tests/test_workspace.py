"""The Cargo workspace stays buildable by every toolchain README promises."""

import tomllib

from tests.transcripts import ROOT


def test_lock_file_is_readable_by_debian_12_cargo():
    """Debian 12's cargo (rustc 1.63, which the debian:12 CI job installs) reads lock files
    up to format 3; a newer cargo writes format 4 when it regenerates the file. Set it back
    to `version = 3` by hand: nothing in this workspace needs format 4."""
    assert tomllib.loads((ROOT / "Cargo.lock").read_text())["version"] == 3


def test_every_rust_sample_uses_edition_2021():
    """The pages say so, and compile-fail samples must fail under the same rules."""
    workspace = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]
    for member in workspace["members"]:
        package = tomllib.loads((ROOT / member / "Cargo.toml").read_text())["package"]
        assert package["edition"] == "2021", member
    for transcript in (ROOT / "snippets").rglob("rustc.txt"):
        assert "rustc --edition 2021 " in transcript.read_text(), transcript
