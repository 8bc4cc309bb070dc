"""The database tests of the Production page, in both languages, against the run's
PostgreSQL: each suite passes (their output files, tests/test_outputs.py, show that) and
keeps what its tests wrote to itself, which is what their isolation promises: SQLx's
per-test databases are dropped once their tests pass (its `_sqlx_test` schema, which
records them, stays), and a rolled-back transaction leaves no row behind."""

import re
import subprocess
import sys

from harness import transcripts
from harness.support import ROOT, sample_of

SAMPLE = sample_of(__file__)


def run(database, *argv: str) -> None:
    done = subprocess.run(
        argv,
        cwd=ROOT,
        env=transcripts.environment({"DATABASE_URL": database.url}),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_database_tests_in_rust_leave_no_database_behind(database, rust_binaries):
    run(database, "cargo", "test", "-q", "-p", "users_db", "--test", "users_db")
    left = database.psql("SELECT datname FROM pg_database WHERE datname LIKE '_sqlx_test%'")
    assert left.split() == []
    # What stays: the schema in which SQLx keeps its record of them, that record empty.
    assert database.psql("SELECT count(*) FROM _sqlx_test.databases").split() == ["0"]


def test_database_tests_in_python_leave_no_row_behind(database):
    run(database, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(SAMPLE))
    assert database.psql("SELECT count(*) FROM users").split() == ["0"]


def test_both_suites_test_the_same_things():
    rust = (SAMPLE / "tests/users_db.rs").read_text()
    python = (SAMPLE / "test_users_db.py").read_text()
    rust_tests = re.findall(r"#\[sqlx::test[^\]]*\]\s+async fn (\w+)", rust)
    python_tests = re.findall(r"^def test_(\w+)\(", python, re.MULTILINE)
    assert rust_tests == python_tests and len(rust_tests) == 3
