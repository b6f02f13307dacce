//! Reading user rows, shared by the SQLite users, teams and invitations.

use adboard_domain::account::{EmailAddress, UserId};
use rusqlite::Row;

use crate::model::{from_micros, stored_name};
use crate::{Result, StoreError, User};

pub(super) const USER_COLUMNS: &str = "users.id, users.name, users.email, users.created_at";

pub(super) fn user_from_row(row: &Row<'_>) -> rusqlite::Result<Result<User>> {
    let id: String = row.get(0)?;
    let name: String = row.get(1)?;
    let email: Option<String> = row.get(2)?;
    let created_at: i64 = row.get(3)?;
    Ok((|| {
        Ok(User {
            id: UserId::parse(&id).map_err(|_| StoreError::corrupt("user id"))?,
            name: stored_name(&name),
            email: parse_email(email)?,
            created_at: from_micros(created_at)?,
        })
    })())
}

pub(super) fn parse_email(raw: Option<String>) -> Result<Option<EmailAddress>> {
    raw.map(|e| EmailAddress::parse(&e).map_err(|_| StoreError::corrupt("email")))
        .transpose()
}
