//! The users API of the Frameworks page, made ready for production: a log
//! line for every request, one error shape for every failure (a panic
//! included), and the OpenAPI document at /openapi.json, which utoipa writes
//! from the annotations below.
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::{self, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{Map, Value};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer,
};
use tower_http::trace::TraceLayer;
use tracing::Span;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(Clone, Serialize, ToSchema)]
pub struct User {
    id: u64,
    name: String,
    email: String,
}

/// What POST /users takes, for the document only: the handler checks the
/// JSON itself (a derived Deserialize would take `["Ann", "a@b"]` too).
#[derive(ToSchema)]
#[allow(dead_code)]
struct NewUser {
    #[schema(min_length = 1, max_length = 50)]
    name: String,
    #[schema(pattern = "@")]
    email: String,
}

/// Every error answers with this body.
#[derive(Serialize, ToSchema)]
struct Error {
    error: String,
    field: Option<&'static str>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the body is not valid JSON")]
    NotJson,
    #[error("{message}")]
    Invalid {
        field: Option<&'static str>,
        message: String,
    },
    #[error("no such user")]
    NoSuchUser,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("internal error")]
    Internal,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, field) = match &self {
            ApiError::NotJson => (StatusCode::BAD_REQUEST, None),
            ApiError::Invalid { field, .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, *field)
            }
            ApiError::NoSuchUser | ApiError::NotFound => {
                (StatusCode::NOT_FOUND, None)
            }
            ApiError::MethodNotAllowed => {
                (StatusCode::METHOD_NOT_ALLOWED, None)
            }
            ApiError::Internal => (StatusCode::INTERNAL_SERVER_ERROR, None),
        };
        let error = self.to_string();
        (status, Json(Error { error, field })).into_response()
    }
}

fn invalid(field: Option<&'static str>, message: &str) -> ApiError {
    let message = message.to_string();
    ApiError::Invalid { field, message }
}

/// Axum's own rejections: a body that is not JSON (400), one not sent as
/// JSON (Axum's 415, a 422 here, as FastAPI answers), and a path that does
/// not fit (422 here too).
impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => {
                invalid(None, "the body must be sent as application/json")
            }
            _ => ApiError::NotJson,
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> Self {
        invalid(Some("user_id"), &rejection.body_text())
    }
}

type Store = Arc<Mutex<HashMap<u64, User>>>;

fn text<'a>(
    object: &'a Map<String, Value>,
    field: &'static str,
) -> Result<&'a str, ApiError> {
    match object.get(field) {
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(invalid(Some(field), "must be a string")),
        None => Err(invalid(Some(field), "is required")),
    }
}

fn new_user(body: &Value) -> Result<(String, String), ApiError> {
    let Some(object) = body.as_object() else {
        return Err(invalid(None, "the body must be a JSON object"));
    };
    let (name, email) = (text(object, "name")?, text(object, "email")?);
    if !(1..=50).contains(&name.chars().count()) {
        return Err(invalid(Some("name"), "must be 1 to 50 characters"));
    }
    if !email.contains('@') {
        return Err(invalid(Some("email"), "must contain @"));
    }
    Ok((name.to_string(), email.to_string()))
}

#[utoipa::path(post, path = "/users", request_body = NewUser, responses(
    (status = 201, body = User),
    (status = 400, body = Error, description = "The body is not JSON"),
    (status = 422, body = Error, description = "A value does not fit"),
))]
async fn create_user(
    State(store): State<Store>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let Json(body) = body?;
    let (name, email) = new_user(&body)?;
    let user = {
        let mut users = store.lock().unwrap();
        let id = users.len() as u64 + 1;
        let user = User { id, name, email };
        users.insert(id, user.clone());
        user
    };
    tracing::info!(user_id = user.id, "user created");
    Ok((StatusCode::CREATED, Json(user)))
}

#[utoipa::path(get, path = "/users/{user_id}", params(("user_id" = u64, Path)), responses(
    (status = 200, body = User),
    (status = 404, body = Error, description = "No such user"),
    (status = 422, body = Error, description = "The id is not a number"),
))]
async fn get_user(
    State(store): State<Store>,
    id: Result<Path<u64>, PathRejection>,
) -> Result<Json<User>, ApiError> {
    let Path(id) = id?;
    let user = store.lock().unwrap().get(&id).cloned();
    user.map(Json).ok_or(ApiError::NoSuchUser)
}

#[utoipa::path(get, path = "/health", responses(
    (status = 200, body = HashMap<String, String>),
))]
async fn health() -> Json<HashMap<&'static str, &'static str>> {
    Json(HashMap::from([("status", "ok")]))
}

#[derive(OpenApi)]
#[openapi(info(title = "users", version = "0.1.0"))]
struct Document;

/// A new service with an empty store: each test can have its own.
pub fn app() -> Router {
    let (router, document) = OpenApiRouter::with_openapi(Document::openapi())
        .routes(routes!(create_user))
        .routes(routes!(get_user))
        .routes(routes!(health))
        .with_state(Store::default())
        .split_for_parts();
    let router = router
        .route("/openapi.json", get(|| async move { Json(document) }))
        .fallback(|| async { ApiError::NotFound })
        // The router still adds the Allow header.
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed });
    layered(router)
}

/// What every request goes through, outermost first: an id (the client's
/// x-request-id, or a new UUID), a span and a log line, the id on the
/// answer, and a 500 in the error shape if a handler panics.
pub fn layered(router: Router) -> Router {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request<Body>| {
            let id = request.headers().get("x-request-id");
            let id = id.and_then(|id| id.to_str().ok()).unwrap_or("");
            let (method, path) = (request.method(), request.uri().path());
            tracing::info_span!("request", %method, path, request_id = id)
        })
        .on_request(())
        .on_response(
            |response: &http::Response<_>, latency: Duration, _: &Span| {
                let status = response.status().as_u16();
                let latency_ms = latency.as_micros() as f64 / 1e3;
                tracing::info!(status, latency_ms, "request");
            },
        )
        .on_failure(());
    router.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
            .layer(trace)
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(CatchPanicLayer::custom(panicked)),
    )
}

/// The panic hook (logs.rs) has logged the panic by now.
fn panicked(_: Box<dyn Any + Send + 'static>) -> Response {
    ApiError::Internal.into_response()
}
