"""Its test: Flask's test client calls the app in-process, without a server."""

from app import app


def test_a_user_and_a_missing_one():
    client = app.test_client()
    assert client.get("/users/1").get_json() == {"id": 1, "name": "Ann"}
    assert client.get("/users/2").status_code == 404
