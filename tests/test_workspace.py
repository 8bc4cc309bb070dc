"""The Cargo workspace stays buildable by every toolchain README promises."""

import tomllib

from tests.transcripts import ROOT


def test_lock_file_is_readable_by_debian_12_cargo():
    """Debian 12's cargo (rustc 1.63, which the debian:12 CI job installs) reads lock files
    up to format 3; a newer cargo writes format 4 when it regenerates the file. Set it back
    to `version = 3` by hand: nothing in this workspace needs format 4."""
    assert tomllib.loads((ROOT / "Cargo.lock").read_text())["version"] == 3


def test_every_member_is_built_with_the_shared_settings():
    workspace = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]
    for member in workspace["members"]:
        package = tomllib.loads((ROOT / member / "Cargo.toml").read_text())["package"]
        assert package["edition"] == "2021", member
        assert package["publish"] is False, member
