//! The users API of the Frameworks page, with Warp 0.4.
use std::collections::HashMap;
use std::convert::Infallible;
use std::pin::pin;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde::Serialize;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use warp::filters::body::BodyDeserializeError;
use warp::http::header::{ALLOW, HeaderValue};
use warp::http::{Method, StatusCode};
use warp::reject::{self, Reject, Rejection};
use warp::{Filter, Reply};

/// How long a client has to send a whole request head, counted from when the
/// server starts waiting for one: a new connection, or the end of an answer.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// How long shutdown waits for open connections before it drops them.
const GRACE: Duration = Duration::from_secs(2);
/// The largest body read: Warp has no limit unless a filter sets one.
const BODY_LIMIT: u64 = 64 * 1024;

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

type Shared = Arc<Mutex<Store>>;

/// Warp's own 405 names no methods. First on a path, this rejects the
/// methods the path does not have with one that does.
fn only(
    allowed: &'static str,
) -> impl Filter<Extract = (), Error = Rejection> + Copy {
    warp::method()
        .and_then(move |method: Method| async move {
            if method.as_str() == allowed {
                return Ok(());
            }
            let error = ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed",
            );
            Err(reject::custom(ApiError {
                allow: Some(allowed),
                ..error
            }))
        })
        .untuple_one()
}

/// Every error answers `{"error": ..., "field": ...}`.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    error: String,
    field: Option<&'static str>,
    allow: Option<&'static str>, // the Allow header of a 405
}

/// A handler rejects with an ApiError; `recover` below turns it into JSON.
impl Reject for ApiError {}

impl ApiError {
    fn new(status: StatusCode, error: &str) -> Self {
        ApiError {
            status,
            error: error.to_string(),
            field: None,
            allow: None,
        }
    }
    fn invalid(field: Option<&'static str>, error: &str) -> Self {
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        ApiError {
            status,
            error: error.to_string(),
            field,
            allow: None,
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
    body: Value,
    store: Shared,
) -> Result<impl Reply, Rejection> {
    let (name, email) = new_user(&body).map_err(reject::custom)?;
    let mut store = store.lock().unwrap();
    store.next_id += 1;
    let user = User {
        id: store.next_id,
        name,
        email,
    };
    store.users.insert(user.id, user.clone());
    drop(store); // the lock, before the answer is serialised
    let reply = warp::reply::json(&user);
    Ok(warp::reply::with_status(reply, StatusCode::CREATED))
}

async fn get_user(id: u64, store: Shared) -> Result<impl Reply, Rejection> {
    // Cloned out, so the lock is not held while the answer is serialised.
    let user = store.lock().unwrap().users.get(&id).cloned();
    match user {
        Some(user) => Ok(warp::reply::json(&user)),
        None => Err(reject::custom(ApiError::new(
            StatusCode::NOT_FOUND,
            "no such user",
        ))),
    }
}

/// Every rejection, ours or Warp's, as our JSON error shape.
async fn to_json(err: Rejection) -> Result<impl Reply, Infallible> {
    let api = if let Some(api) = err.find::<ApiError>() {
        ApiError {
            error: api.error.clone(),
            ..*api
        }
    } else if err.is_not_found() {
        // also `/users/abc`: `u64` in the path does not match it
        ApiError::new(StatusCode::NOT_FOUND, "not found")
    } else if let Some(e) = err.find::<BodyDeserializeError>() {
        ApiError::new(StatusCode::BAD_REQUEST, &e.to_string())
    } else if err.find::<reject::UnsupportedMediaType>().is_some() {
        ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "send JSON")
    } else if err.find::<reject::PayloadTooLarge>().is_some() {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body too large")
    } else if err.find::<reject::LengthRequired>().is_some() {
        ApiError::new(StatusCode::LENGTH_REQUIRED, "Content-Length required")
    } else {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "unexpected")
    };
    let body = json!({ "error": api.error, "field": api.field });
    let json = warp::reply::json(&body);
    let mut response =
        warp::reply::with_status(json, api.status).into_response();
    if let Some(allow) = api.allow {
        let allow = HeaderValue::from_static(allow);
        response.headers_mut().insert(ALLOW, allow);
    }
    Ok(response)
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

async fn serve() -> Result<(), String> {
    let store = Shared::default();
    let with_store = warp::any().map(move || Arc::clone(&store));
    let create = warp::path!("users")
        .and(only("POST"))
        .and(warp::body::content_length_limit(BODY_LIMIT))
        .and(warp::body::json())
        .and(with_store.clone())
        .and_then(create_user);
    let read = warp::path!("users" / u64)
        .and(only("GET"))
        .and(with_store)
        .and_then(get_user);
    let health = warp::path!("health")
        .and(only("GET"))
        .map(|| warp::reply::json(&json!({ "status": "ok" })));
    let routes = create.or(read).or(health).recover(to_json);

    // Served with hyper's own builder, not warp::serve: that one panics when
    // the port is taken, and gives hyper no timer, so a client that never
    // sends a request would keep its connection open for ever.
    let listener = TcpListener::bind(("127.0.0.1", port()?))
        .await
        .map_err(|err| format!("cannot listen: {err}"))?;
    let mut shutdown = pin!(shutdown_signal().map_err(|err| err.to_string())?);
    let local = listener.local_addr().map_err(|err| err.to_string())?;
    println!("Listening on http://{local}");

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
        let service = TowerToHyperService::new(warp::service(routes.clone()));
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
