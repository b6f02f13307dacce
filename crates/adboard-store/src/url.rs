//! Parsing `STORE_URL` into the backend it names.

use std::path::PathBuf;

use crate::{Result, StoreError};

/// Where the store lives, parsed from `STORE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreUrl {
    /// `sqlite://PATH`: a file path, relative to the working directory unless absolute
    /// (`sqlite:///abs/path.db`).
    Sqlite(PathBuf),
    /// `dynamodb://TABLE`.
    DynamoDb(String),
}

impl StoreUrl {
    pub fn parse(raw: &str) -> Result<Self> {
        let raw = raw.trim();
        if let Some(path) = raw.strip_prefix("sqlite://") {
            if path.is_empty() || path.ends_with('/') {
                return Err(StoreError::InvalidUrl("sqlite:// needs a file path".into()));
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if let Some(table) = raw.strip_prefix("dynamodb://") {
            let valid = (3..=255).contains(&table.len())
                && table
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
            if !valid {
                return Err(StoreError::InvalidUrl(
                    "dynamodb:// needs a table name of 3-255 letters, digits, '_', '-' or '.'"
                        .into(),
                ));
            }
            return Ok(Self::DynamoDb(table.to_owned()));
        }
        Err(StoreError::InvalidUrl(
            "expected sqlite://PATH or dynamodb://TABLE".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_relative_and_absolute_paths() {
        assert_eq!(
            StoreUrl::parse("sqlite://data/adboard.db").unwrap(),
            StoreUrl::Sqlite("data/adboard.db".into())
        );
        assert_eq!(
            StoreUrl::parse("sqlite:///tmp/a.db").unwrap(),
            StoreUrl::Sqlite("/tmp/a.db".into())
        );
    }

    #[test]
    fn dynamodb_urls_name_a_table() {
        assert_eq!(
            StoreUrl::parse("dynamodb://adboard-prod").unwrap(),
            StoreUrl::DynamoDb("adboard-prod".into())
        );
    }

    #[test]
    fn malformed_store_urls_are_rejected() {
        for raw in [
            "",
            "postgres://x",
            "sqlite://",
            "sqlite://dir/",
            "dynamodb://",
            "dynamodb://a",
            "dynamodb://bad name",
        ] {
            assert!(StoreUrl::parse(raw).is_err(), "{raw:?} should be rejected");
        }
    }
}
