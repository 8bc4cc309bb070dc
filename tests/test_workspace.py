"""The Cargo workspace: one edition and one minimum Rust version, true to its dependencies."""

import json
import subprocess
import tomllib

import pytest

from tests.support import ROOT

# The first rustc release of each edition.
EDITIONS = {"2015": "1.0", "2018": "1.31", "2021": "1.56", "2024": "1.85"}


def version(text: str) -> tuple[int, int, int]:
    major, minor, patch = (text.split(".") + ["0", "0"])[:3]
    return int(major), int(minor), int(patch)


def members() -> dict[str, dict]:
    workspace = tomllib.loads((ROOT / "Cargo.toml").read_text())["workspace"]
    return {
        member: tomllib.loads((ROOT / member / "Cargo.toml").read_text())["package"]
        for member in workspace["members"]
    }


def test_every_rust_sample_has_the_same_edition_and_rust_version():
    """Each sample's Cargo.toml is whole on its page, so each states both itself; and a
    compile-fail sample must fail under the same edition as the rest."""
    packages = members()
    editions = {package["edition"] for package in packages.values()}
    rust_versions = {package["rust-version"] for package in packages.values()}
    assert len(editions) == 1 and len(rust_versions) == 1, packages
    (edition,) = editions
    for transcript in (ROOT / "snippets").rglob("rustc.txt"):
        assert f"rustc --edition {edition} " in transcript.read_text(), transcript


@pytest.mark.slow
def test_rust_version_is_what_the_edition_and_dependencies_need(rust_toolchain):
    """`rust-version` is the minimum: the newest of what the edition needs and what every
    locked dependency declares."""
    metadata = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--locked", "--format-version", "1"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        ).stdout
    )
    ours = set(metadata["workspace_members"])
    needs = {
        f"edition {package['edition']}": EDITIONS[package["edition"]]
        for package in metadata["packages"]
        if package["id"] in ours
    }
    needs |= {
        f"{package['name']} {package['version']}": package["rust_version"]
        for package in metadata["packages"]
        if package["id"] not in ours and package.get("rust_version")
    }
    minimum = max(needs.values(), key=version)
    (stated,) = {package["rust-version"] for package in members().values()}
    assert version(stated) == version(minimum), (
        f"the samples say rust-version {stated}; what they need is {minimum}: "
        + ", ".join(f"{what} needs {v}" for what, v in needs.items() if v == minimum)
    )
