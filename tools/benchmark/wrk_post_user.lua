-- wrk script for ./dev bench --only frameworks (frameworks.py beside it): every request creates
-- a user (POST /users with a JSON body).
wrk.method = "POST"
wrk.body = '{"name": "Ann", "email": "ann@example.com"}'
wrk.headers["Content-Type"] = "application/json"
