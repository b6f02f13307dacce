//! Small helpers shared by the Facebook, OIDC and X halves: clock and random identifiers.

use rand::Rng;
use rand::distr::Alphanumeric;

/// Unix time now in seconds and milliseconds.
pub fn now() -> (i64, i64) {
    let now = chrono::Utc::now();
    (now.timestamp(), now.timestamp_millis())
}

/// A random alphanumeric string of `len` characters.
pub fn random_alnum(len: usize) -> String {
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}
