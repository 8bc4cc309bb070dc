"""The Cargo workspace: one edition, and for each sample the minimum Rust version that its
edition and its dependencies need."""

import json
import subprocess
import tomllib

import pytest

from harness.support import ROOT

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


def test_every_rust_sample_has_the_same_edition_and_states_its_rust_version():
    """Each sample's Cargo.toml is whole on its page, so each states both itself; and a
    compile-fail sample must fail under the same edition as the rest."""
    packages = members()
    editions = {package["edition"] for package in packages.values()}
    assert len(editions) == 1, packages
    assert all("rust-version" in package for package in packages.values()), packages
    (edition,) = editions
    for transcript in (ROOT / "snippets").rglob("rustc.txt"):
        assert f"rustc --edition {edition} " in transcript.read_text(), transcript


@pytest.mark.slow
def test_rust_version_is_what_the_edition_and_dependencies_need(rust_toolchain):
    """Each sample's `rust-version` is its minimum: the newest of what its edition needs and
    what every crate it depends on, directly or not, declares."""
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
    packages = {package["id"]: package for package in metadata["packages"]}
    deps = {
        node["id"]: [dep["pkg"] for dep in node["deps"]] for node in metadata["resolve"]["nodes"]
    }
    problems = []
    for member_id in metadata["workspace_members"]:
        member = packages[member_id]
        needs = {f"edition {member['edition']}": EDITIONS[member["edition"]]}
        seen, todo = set(), list(deps[member_id])
        while todo:
            dep = packages[todo.pop()]
            if dep["id"] in seen:
                continue
            seen.add(dep["id"])
            todo += deps[dep["id"]]
            if dep.get("rust_version"):
                needs[f"{dep['name']} {dep['version']}"] = dep["rust_version"]
        minimum = max(needs.values(), key=version)
        if version(member["rust_version"]) != version(minimum):
            why = ", ".join(f"{what} needs {v}" for what, v in needs.items() if v == minimum)
            problems.append(
                f"{member['name']} says rust-version {member['rust_version']}; "
                f"it needs {minimum}: {why}"
            )
    assert not problems, "\n".join(problems)
