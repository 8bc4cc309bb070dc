"""The users table of the Databases page, behind two functions a service
would call."""

from dataclasses import dataclass

import psycopg


@dataclass
class User:
    id: int
    name: str
    email: str


class DuplicateEmail(Exception):
    """A user with this email exists."""


def create_user(conn: psycopg.Connection, name: str, email: str) -> User:
    try:
        row = conn.execute(
            "INSERT INTO users (name, email) VALUES (%s, %s)"
            " RETURNING id, name, email",
            (name, email),
        ).fetchone()
    except psycopg.errors.UniqueViolation as err:
        raise DuplicateEmail(email) from err
    return User(*row)


def list_users(conn: psycopg.Connection, limit: int) -> list[User]:
    rows = conn.execute(
        "SELECT id, name, email FROM users ORDER BY id LIMIT %s", (limit,)
    )
    return [User(*row) for row in rows]
