//! One route of the users API in Actix-web, and its test: `actix_web::test`
//! builds the app in-process and calls it without a server.
use actix_web::{HttpResponse, web};
use serde_json::json;

async fn get_user(id: web::Path<u64>) -> HttpResponse {
    match id.into_inner() {
        1 => HttpResponse::Ok().json(json!({ "id": 1, "name": "Ann" })),
        _ => HttpResponse::NotFound().json(json!({ "error": "no such user" })),
    }
}

pub fn routes(config: &mut web::ServiceConfig) {
    config.route("/users/{id}", web::get().to(get_user));
}

#[cfg(test)]
mod tests {
    use actix_web::{App, test};
    use serde_json::{Value, json};

    #[actix_web::test]
    async fn a_user_and_a_missing_one() {
        let app = test::init_service(App::new().configure(super::routes)).await;
        let request = test::TestRequest::get().uri("/users/1").to_request();
        let user: Value = test::call_and_read_body_json(&app, request).await;
        assert_eq!(user, json!({ "id": 1, "name": "Ann" }));

        let request = test::TestRequest::get().uri("/users/2").to_request();
        let response = test::call_service(&app, request).await;
        assert_eq!(response.status(), 404);
    }
}
