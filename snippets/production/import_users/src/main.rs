//! Reads users from a file of `name,email` lines. `parse` says what is wrong
//! with a line in an error type of its own (thiserror); `main` and
//! `read_users` add where it happened (anyhow's context).
use std::path::Path;

use anyhow::Context;

#[derive(Debug, thiserror::Error)]
enum ParseError {
    #[error("expected a name and an email, found {0} fields")]
    FieldCount(usize),
    #[error("the name must be 1 to 50 characters")]
    Name,
    #[error("the email {0:?} has no @")]
    Email(String),
}

struct NewUser {
    name: String,
    email: String,
}

fn parse(line: &str) -> Result<NewUser, ParseError> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    let [name, email] = fields[..] else {
        return Err(ParseError::FieldCount(fields.len()));
    };
    if !(1..=50).contains(&name.chars().count()) {
        return Err(ParseError::Name);
    }
    if !email.contains('@') {
        return Err(ParseError::Email(email.to_string()));
    }
    let (name, email) = (name.to_string(), email.to_string());
    Ok(NewUser { name, email })
}

fn read_users(path: &Path) -> anyhow::Result<Vec<NewUser>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let mut users = Vec::new();
    for (number, line) in (1..).zip(text.lines()) {
        if line.trim().is_empty() {
            continue;
        }
        let user = parse(line)
            .with_context(|| format!("{}, line {number}", path.display()))?;
        users.push(user);
    }
    Ok(users)
}

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .context("usage: import_users FILE")?;
    for user in read_users(Path::new(&path))? {
        println!("{} <{}>", user.name, user.email);
    }
    Ok(())
}
