//! The users table of the Databases page, behind two functions a service
//! would call.
use sqlx::PgPool;

#[derive(Debug, PartialEq, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub name: String,
    pub email: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("a user with this email exists")]
    DuplicateEmail,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub async fn create_user(
    pool: &PgPool,
    name: &str,
    email: &str,
) -> Result<User, CreateError> {
    let inserted = sqlx::query_as(
        "INSERT INTO users (name, email) VALUES ($1, $2) \
         RETURNING id, name, email",
    )
    .bind(name)
    .bind(email)
    .fetch_one(pool)
    .await;
    match inserted {
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            Err(CreateError::DuplicateEmail)
        }
        other => Ok(other?),
    }
}

pub async fn list_users(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<User>> {
    sqlx::query_as("SELECT id, name, email FROM users ORDER BY id LIMIT $1")
        .bind(limit)
        .fetch_all(pool)
        .await
}
