//! Each test gets a database of its own: `#[sqlx::test]` creates it on the
//! server DATABASE_URL names, applies the migrations and hands the test a
//! pool; the database is dropped once the test passes.
use sqlx::PgPool;
use users_db::{CreateError, User, create_user, list_users};

#[sqlx::test(migrations = "../../databases/migrations")]
async fn a_created_user_is_listed(pool: PgPool) {
    let ann = create_user(&pool, "Ann", "ann@example.com").await.unwrap();
    assert_eq!(ann.id, 1); // a new database: its ids start at 1
    assert_eq!(list_users(&pool, 20).await.unwrap(), vec![ann]);
}

#[sqlx::test(migrations = "../../databases/migrations")]
async fn an_email_is_taken_once(pool: PgPool) {
    create_user(&pool, "Ann", "ann@example.com").await.unwrap();
    let again = create_user(&pool, "Anne", "ann@example.com").await;
    assert!(matches!(again, Err(CreateError::DuplicateEmail)));
}

#[sqlx::test(migrations = "../../databases/migrations")]
async fn no_test_sees_another_tests_users(pool: PgPool) {
    // A database of its own: nothing the tests above created is in it.
    let users: Vec<User> = list_users(&pool, 100).await.unwrap();
    assert!(users.iter().all(|user| user.email != "ann@example.com"));
}
