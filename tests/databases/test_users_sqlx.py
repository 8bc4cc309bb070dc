"""SQLx's checked queries, as the Databases page shows them: a query naming a column the
table lacks fails to compile, with the message a build against the real server gives; and
the offline query data in `.sqlx/` is what such a build writes for today's queries."""

import json
import os
import pathlib
import subprocess
import warnings

import pytest

from harness import toolchain, transcripts
from harness.compile_fail import first_error
from harness.support import IN_CI, ROOT, checked
from tests.databases.conftest import DATABASES
from tests.site.test_copy_paste import cargo_env, copied

SAMPLE = DATABASES / "users_sqlx"


def project():
    """The sample as a project of its own, in the copy where the copy-paste test builds it
    from the page (a second copy of the package would take turns with it at the binary),
    held while this test edits and builds it."""
    return copied(str(SAMPLE.relative_to(ROOT)))


def cargo(folder: pathlib.Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["cargo", "build", "-q"],
        cwd=folder,
        env={**cargo_env(), **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
def test_a_query_naming_a_missing_column_does_not_compile(rust_toolchain, database, outputs):
    diff = SAMPLE / "wrong_column.diff"
    with project() as folder:
        # Outside any repository, as in a reader's own project (the copy is inside ours).
        alone = {**os.environ, "GIT_CEILING_DIRECTORIES": str(folder.parent)}
        subprocess.run(["git", "apply", str(diff)], cwd=folder, env=alone, check=True, timeout=60)
        assert "emial" in (folder / "src/main.rs").read_text()
        done = cargo(folder, DATABASE_URL=database.url)
    assert done.returncode != 0, "the query with the wrong column compiled"
    checked(diff)
    shown = SAMPLE / "wrong_column.txt"
    if toolchain.problem() and not outputs.update:  # as for the compile-fail samples
        (step,) = transcripts.read(shown)
        assert first_error(done.stdout) == first_error(step.output), done.stdout
        if IN_CI:
            pytest.fail(f"{shown.relative_to(ROOT)}: {toolchain.problem()}", pytrace=False)
        warnings.warn(
            f"{shown.name}: {toolchain.problem()}; compared the first error only", stacklevel=2
        )
        checked(shown)
        return
    outputs.check(shown, [done.stdout])


@pytest.mark.slow
def test_the_offline_query_data_is_current(rust_toolchain, database, tmp_path):
    """What `cargo sqlx prepare` would write: the macros save each query's description where
    SQLX_OFFLINE_DIR says while they check it against the server."""
    with project() as folder:
        os.utime(folder / "src/main.rs")  # the macros run again only when it is rebuilt
        done = cargo(folder, DATABASE_URL=database.url, SQLX_OFFLINE_DIR=str(tmp_path))
    assert done.returncode == 0, done.stdout
    written = {p.name: json.loads(p.read_text()) for p in tmp_path.glob("query-*.json")}
    committed = {p.name: json.loads(p.read_text()) for p in (SAMPLE / ".sqlx").glob("*.json")}
    assert written == committed, (
        "snippets/databases/users_sqlx/.sqlx is stale: rebuild with DATABASE_URL set and "
        f"SQLX_OFFLINE_DIR={SAMPLE / '.sqlx'} (or run `cargo sqlx prepare` there)"
    )
