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


def test_no_test_sees_another_tests_users(conn):
    # Ann, whom the tests above created, was rolled back with them.
    emails = [user.email for user in list_users(conn, 100)]
    assert "ann@example.com" not in emails
