import pytest

from users_db import DuplicateEmail, create_user, list_users


def test_a_created_user_is_listed(conn):
    ann = create_user(conn, "Ann", "ann@example.com")
    # Not 1 for certain: a rollback does not give back the ids that
    # earlier tests (or runs) took from the sequence.
    assert ann.id >= 1
    assert list_users(conn, 20) == [ann]


def test_an_email_is_taken_once(conn):
    create_user(conn, "Ann", "ann@example.com")
    with pytest.raises(DuplicateEmail):
        create_user(conn, "Anne", "ann@example.com")


def test_every_test_starts_empty(conn):
    assert list_users(conn, 20) == []
