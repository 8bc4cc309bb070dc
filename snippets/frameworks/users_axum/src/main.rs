//! The users API of the Frameworks page, with Axum 0.8.
use std::collections::HashMap;
use std::pin::pin;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde::Serialize;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;

/// How long a client has to send a whole request head, counted from when the
/// server starts waiting for one: a new connection, or the end of an answer.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for open connections before it drops them.
const GRACE: Duration = Duration::from_secs(2);

#[derive(Clone, Serialize)]
struct User {
    id: u64,
    name: String,
    email: String,
}

#[derive(Default)]
struct Store {
    next_id: u64,
    users: HashMap<u64, User>,
}

/// Shared by every worker thread; the lock is held only to read or insert.
type Shared = Arc<Mutex<Store>>;

/// Every error answers `{"error": ..., "field": ...}`.
struct ApiError {
    status: StatusCode,
    error: String,
    field: Option<&'static str>,
}

impl ApiError {
    fn invalid(field: Option<&'static str>, error: &str) -> Self {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        ApiError {
            status,
            error: error.to_string(),
            field,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.error, "field": self.field });
        (self.status, Json(body)).into_response()
    }
}

/// Axum rejects a body that is not JSON with 400 (and one that is not sent
/// as JSON with 415): keep its status, answer with our shape.
impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        let (status, error) = (rejection.status(), rejection.body_text());
        ApiError {
            status,
            error,
            field: None,
        }
    }
}

/// The same for a path that does not fit, such as `/users/abc` (400).
impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        let (status, error) = (rejection.status(), rejection.body_text());
        ApiError {
            status,
            error,
            field: None,
        }
    }
}

fn text<'a>(
    object: &'a Map<String, Value>,
    field: &'static str,
) -> Result<&'a str, ApiError> {
    match object.get(field) {
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(ApiError::invalid(Some(field), "must be a string")),
        None => Err(ApiError::invalid(Some(field), "is required")),
    }
}

/// Checked by hand from the parsed JSON: deriving Deserialize for a struct
/// would also accept a JSON array (`["Ann", "ann@example.com"]`) as one.
fn new_user(body: &Value) -> Result<(String, String), ApiError> {
    let Some(object) = body.as_object() else {
        return Err(ApiError::invalid(None, "the body must be a JSON object"));
    };
    let (name, email) = (text(object, "name")?, text(object, "email")?);
    if !(1..=50).contains(&name.chars().count()) {
        return Err(ApiError::invalid(
            Some("name"),
            "must be 1 to 50 characters",
        ));
    }
    if !email.contains('@') {
        return Err(ApiError::invalid(Some("email"), "must contain @"));
    }
    Ok((name.to_string(), email.to_string()))
}

async fn create_user(
    State(store): State<Shared>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let Json(body) = body?;
    let (name, email) = new_user(&body)?;
    let mut store = store.lock().unwrap();
    store.next_id += 1;
    let user = User {
        id: store.next_id,
        name,
        email,
    };
    store.users.insert(user.id, user.clone());
    Ok((StatusCode::CREATED, Json(user)))
}

async fn get_user(
    State(store): State<Shared>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Json<User>, ApiError> {
    let Path(id) = id?;
    match store.lock().unwrap().users.get(&id) {
        Some(user) => Ok(Json(user.clone())),
        None => Err(ApiError {
            status: StatusCode::NOT_FOUND,
            error: "no such user".to_string(),
            field: None,
        }),
    }
}

async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Axum's own answers to a path or method no route has are empty bodies.
async fn not_found() -> ApiError {
    ApiError {
        status: StatusCode::NOT_FOUND,
        error: "not found".to_string(),
        field: None,
    }
}

/// The router still adds the `Allow` header to this one.
async fn method_not_allowed() -> ApiError {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        error: "method not allowed".to_string(),
        field: None,
    }
}

/// The first argument, else 3000; 0 picks a free port.
fn port() -> Result<u16, String> {
    match std::env::args().nth(1) {
        Some(text) => text
            .parse()
            .map_err(|_| format!("the port must be 0 to 65535, not {text:?}")),
        None => Ok(3000),
    }
}

/// Resolves at the first Ctrl+C or SIGTERM; listening starts at once.
fn shutdown_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// A failed accept that is about one client only (it gave up before its
/// connection was taken, or its network went away: accept(2) says to retry
/// at once on those): the next accept can go ahead at once.
fn is_per_connection(err: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        err.kind(),
        ConnectionRefused
            | ConnectionAborted
            | ConnectionReset
            | NetworkDown
            | NetworkUnreachable
            | HostUnreachable
    )
}

async fn serve() -> Result<(), String> {
    let app = Router::new()
        .route("/users", post(create_user))
        .route("/users/{id}", get(get_user))
        .route("/health", get(health))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(Shared::default());

    let listener = TcpListener::bind(("127.0.0.1", port()?))
        .await
        .map_err(|err| format!("cannot listen: {err}"))?;
    let mut shutdown = pin!(shutdown_signal().map_err(|err| err.to_string())?);
    let local = listener.local_addr().map_err(|err| err.to_string())?;
    println!("Listening on http://{local}");

    // Served with hyper's own builder, not axum::serve: that one gives hyper
    // no timer, so a client that never sends a request would keep its
    // connection open for ever.
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    let graceful = GracefulShutdown::new();
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(err) if is_per_connection(&err) => continue,
                // Out of file descriptors, say: the client stays queued, and
                // accepting again at once would fail again at once.
                Err(err) => {
                    eprintln!("accept failed, retrying in 1 s: {err}");
                    let pause = tokio::time::sleep(Duration::from_secs(1));
                    tokio::select! {
                        () = pause => continue,
                        () = &mut shutdown => break,
                    }
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let connection = http.serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move { _ = connection.await });
    }

    drop(listener); // no new connections from here on
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(GRACE) => {}
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match serve().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}
