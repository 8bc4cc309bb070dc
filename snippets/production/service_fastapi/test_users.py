"""The service tested in-process, as FastAPI's documentation shows: requests
go straight to the app, with no server or port; each test has its own."""

import pytest
from fastapi.testclient import TestClient

from users import create_app

ANN = {"name": "Ann", "email": "ann@example.com"}


@pytest.fixture
def client() -> TestClient:
    return TestClient(create_app())


def test_a_created_user_can_be_read_back(client):
    created = client.post("/users", json=ANN)
    assert created.status_code == 201
    assert created.json() == {"id": 1, **ANN}
    assert client.get("/users/1").json() == created.json()


def test_an_invalid_user_is_refused_naming_the_field(client):
    answer = client.post("/users", json={**ANN, "email": "ann"})
    assert answer.status_code == 422
    assert answer.json()["field"] == "email"


def test_an_unknown_user_is_a_404_in_the_error_shape(client):
    answer = client.get("/users/7")
    assert answer.status_code == 404
    assert answer.json() == {"error": "no such user", "field": None}


def test_every_answer_carries_a_request_id(client):
    given = client.get("/health", headers={"x-request-id": "abc-123"})
    assert given.headers["x-request-id"] == "abc-123"
    assert client.get("/health").headers["x-request-id"]  # a new one


def test_a_bug_in_a_handler_is_a_500_in_the_error_shape():
    app = create_app()

    @app.get("/crash")
    async def crash():
        raise RuntimeError("a bug")

    # By default the test client raises the handler's exception in the test.
    client = TestClient(app, raise_server_exceptions=False)
    answer = client.get("/crash")
    assert answer.status_code == 500
    assert answer.json() == {"error": "internal error", "field": None}
