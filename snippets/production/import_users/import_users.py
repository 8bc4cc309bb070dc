"""Reads users from a file of `name,email` lines. parse() raises an exception
class of its own for what is wrong with a line; read_users() raises another
that says where, with the first as its cause."""

import sys
from dataclasses import dataclass


class ParseError(ValueError):
    """What is wrong with one line."""


class ImportFailed(Exception):
    """Where the import stopped."""


@dataclass
class NewUser:
    name: str
    email: str


def parse(line: str) -> NewUser:
    fields = [field.strip() for field in line.split(",")]
    if len(fields) != 2:
        raise ParseError(
            f"expected a name and an email, found {len(fields)} fields"
        )
    name, email = fields
    if not 1 <= len(name) <= 50:
        raise ParseError("the name must be 1 to 50 characters")
    if "@" not in email:
        raise ParseError(f"the email {email!r} has no @")
    return NewUser(name, email)


def read_users(path: str) -> list[NewUser]:
    try:
        with open(path, encoding="utf-8") as file:
            lines = file.read().split("\n")
    except (OSError, UnicodeDecodeError) as err:
        raise ImportFailed(f"cannot read {path}") from err
    users = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            users.append(parse(line))
        except ParseError as err:
            raise ImportFailed(f"{path}, line {number}") from err
    return users


def main() -> None:
    for user in read_users(sys.argv[1]):
        print(f"{user.name} <{user.email}>")


if __name__ == "__main__":
    main()
