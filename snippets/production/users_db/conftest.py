"""Each test runs in a transaction that is rolled back at its end, on the
database DATABASE_URL names (its schema applied beforehand)."""

import os

import psycopg
import pytest


@pytest.fixture
def conn():
    # psycopg opens a transaction at the first statement and, leaving the
    # `with` block without an error, would commit it: roll back first.
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        yield conn
        conn.rollback()
