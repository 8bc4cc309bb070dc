//! The service tested in-process, as Axum's own examples do: each request
//! goes straight to the router with tower's `oneshot`, with no server or
//! port; every test has a service of its own.
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::routing::get;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use service_axum::users::{app, layered};
use tower::ServiceExt;

async fn send(
    app: &Router,
    request: Request<Body>,
) -> (StatusCode, HeaderMap, Value) {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (parts.status, parts.headers, json)
}

fn get_request(path: &str) -> Request<Body> {
    Request::get(path).body(Body::empty()).unwrap()
}

fn post_json(path: &str, body: Value) -> Request<Body> {
    Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn a_created_user_can_be_read_back() {
    let app = app();
    let ann = json!({ "name": "Ann", "email": "ann@example.com" });
    let (status, _, created) = send(&app, post_json("/users", ann)).await;
    assert_eq!(status, StatusCode::CREATED);
    let expected =
        json!({ "id": 1, "name": "Ann", "email": "ann@example.com" });
    assert_eq!(created, expected);
    assert_eq!(send(&app, get_request("/users/1")).await.2, created);
}

#[tokio::test]
async fn an_invalid_user_is_refused_naming_the_field() {
    let ann = json!({ "name": "Ann", "email": "ann" });
    let (status, _, answer) = send(&app(), post_json("/users", ann)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["field"], "email");
}

#[tokio::test]
async fn an_unknown_user_is_a_404_in_the_error_shape() {
    let (status, _, answer) = send(&app(), get_request("/users/7")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(answer, json!({ "error": "no such user", "field": null }));
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = app();
    let given = Request::get("/health").header("x-request-id", "abc-123");
    let (_, headers, _) = send(&app, given.body(Body::empty()).unwrap()).await;
    assert_eq!(headers["x-request-id"], "abc-123");
    let (_, headers, _) = send(&app, get_request("/health")).await;
    assert!(!headers["x-request-id"].is_empty()); // a new one
}

async fn crash() -> StatusCode {
    panic!("a bug")
}

#[tokio::test]
async fn a_bug_in_a_handler_is_a_500_in_the_error_shape() {
    let app = layered(Router::new().route("/crash", get(crash)));
    let (status, _, answer) = send(&app, get_request("/crash")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(answer, json!({ "error": "internal error", "field": null }));
}
