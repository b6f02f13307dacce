//! The single-table key design: how each item type's pk/sk and GSI keys are spelled, and
//! attribute helpers. See `DESIGN.md` for the table of item types.

use std::collections::HashMap;

use adboard_domain::account::{EmailAddress, IdentityKey, UserId};
use adboard_domain::connector::Platform;
use adboard_domain::team::TeamId;
use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Utc};

use crate::model::{from_micros, to_micros};
use crate::{ApiTokenHash, ApiTokenId, DeletionCode, Result, StoreError};

pub(crate) type Item = HashMap<String, AttributeValue>;

pub(crate) const PK: &str = "pk";
pub(crate) const SK: &str = "sk";
pub(crate) const GSI1: &str = "gsi1";
pub(crate) const GSI1PK: &str = "gsi1pk";
pub(crate) const GSI1SK: &str = "gsi1sk";

pub(crate) const USER_SK: &str = "USER";
pub(crate) const IDENTITY_SK: &str = "IDENTITY";

pub(crate) const TEAM_SK: &str = "TEAM";
pub(crate) const MEMBER_PREFIX: &str = "MEMBER#";
pub(crate) const INVITE_PREFIX: &str = "INVITE#";
pub(crate) const CONNECTOR_PREFIX: &str = "CONNECTOR#";

pub(crate) const API_TOKEN_PREFIX: &str = "APITOKEN#";
pub(crate) const API_TOKEN_LOOKUP_SK: &str = "APITOKEN";
pub(crate) const DELETION_SK: &str = "DELETION";

/// A user's API token, in the user's partition (`USER#<id>`).
pub(crate) fn api_token_sk(id: &ApiTokenId) -> String {
    format!("{API_TOKEN_PREFIX}{}", id.as_str())
}

/// The lookup item that finds an API token by its hash (hex), never by the token.
pub(crate) fn api_token_lookup_pk(hash: &ApiTokenHash) -> String {
    format!("{API_TOKEN_PREFIX}{}", hex::encode(hash.as_bytes()))
}

/// A data-deletion request, by its confirmation code.
pub(crate) fn deletion_pk(code: &DeletionCode) -> String {
    format!("DELETION#{}", code.as_str())
}

pub(crate) fn team_pk(id: TeamId) -> String {
    format!("TEAM#{id}")
}

pub(crate) fn member_sk(user: UserId) -> String {
    format!("{MEMBER_PREFIX}{user}")
}

/// One invitation per (team, email): the email (lower-cased) is in the sort key.
pub(crate) fn invite_sk(email: &EmailAddress) -> String {
    format!("{INVITE_PREFIX}{}", email.as_str().to_ascii_lowercase())
}

/// One connector per (team, platform): the platform is in the sort key.
pub(crate) fn connector_sk(platform: Platform) -> String {
    format!("{CONNECTOR_PREFIX}{platform}")
}

pub(crate) fn user_pk(id: UserId) -> String {
    format!("USER#{id}")
}

/// Escapes `%` and `#` so free-form parts (issuer URLs, subjects) cannot forge a key boundary.
fn escape(part: &str) -> String {
    part.replace('%', "%25").replace('#', "%23")
}

pub(crate) fn identity_pk(key: &IdentityKey) -> String {
    format!(
        "IDENTITY#{}#{}#{}",
        key.provider.as_str(),
        escape(&key.issuer),
        escape(&key.subject)
    )
}

/// Emails compare case-insensitively (ASCII), like SQLite's `COLLATE NOCASE`.
pub(crate) fn email_key(email: &EmailAddress) -> String {
    format!("EMAIL#{}", email.as_str().to_ascii_lowercase())
}

/// A sortable rendering of a timestamp for sort keys.
pub(crate) fn sortable(at: DateTime<Utc>) -> String {
    format!("{:020}", to_micros(at).max(0))
}

pub(crate) fn key(pk: String, sk: &str) -> Item {
    HashMap::from([(PK.to_owned(), s(pk)), (SK.to_owned(), s(sk))])
}

pub(crate) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub(crate) fn n(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

pub(crate) fn time(at: DateTime<Utc>) -> AttributeValue {
    n(to_micros(at))
}

pub(crate) fn get_s<'a>(item: &'a Item, name: &str) -> Result<&'a str> {
    match item.get(name) {
        Some(AttributeValue::S(v)) => Ok(v),
        _ => Err(StoreError::corrupt(name)),
    }
}

pub(crate) fn get_opt_s<'a>(item: &'a Item, name: &str) -> Result<Option<&'a str>> {
    match item.get(name) {
        None | Some(AttributeValue::Null(_)) => Ok(None),
        Some(AttributeValue::S(v)) => Ok(Some(v)),
        _ => Err(StoreError::corrupt(name)),
    }
}

pub(crate) fn get_time(item: &Item, name: &str) -> Result<DateTime<Utc>> {
    match item.get(name) {
        Some(AttributeValue::N(v)) => {
            from_micros(v.parse().map_err(|_| StoreError::corrupt(name))?)
        }
        _ => Err(StoreError::corrupt(name)),
    }
}

pub(crate) fn get_opt_time(item: &Item, name: &str) -> Result<Option<DateTime<Utc>>> {
    match item.get(name) {
        None | Some(AttributeValue::Null(_)) => Ok(None),
        Some(_) => get_time(item, name).map(Some),
    }
}

pub(crate) fn get_email(item: &Item, name: &str) -> Result<Option<EmailAddress>> {
    get_opt_s(item, name)?
        .map(|e| EmailAddress::parse(e).map_err(|_| StoreError::corrupt(name)))
        .transpose()
}

#[cfg(test)]
mod tests {
    use adboard_domain::account::Provider;

    use super::*;

    #[test]
    fn a_hash_in_an_issuer_cannot_collide_with_another_identity() {
        let a = IdentityKey {
            provider: Provider::Oidc,
            issuer: "https://a#b".into(),
            subject: "c".into(),
        };
        let b = IdentityKey {
            provider: Provider::Oidc,
            issuer: "https://a".into(),
            subject: "b#c".into(),
        };
        assert_ne!(identity_pk(&a), identity_pk(&b));
    }
}
