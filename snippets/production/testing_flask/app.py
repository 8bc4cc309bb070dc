"""One route of the users API in Flask."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/users/<int:user_id>")
def get_user(user_id: int):
    if user_id == 1:
        return jsonify(id=1, name="Ann")
    return jsonify(error="no such user"), 404
