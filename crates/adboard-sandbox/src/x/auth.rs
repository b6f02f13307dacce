//! Who signed an X request: the protocol checks around the RFC 5849 signature (consumer key,
//! `HMAC-SHA1`, `oauth_version`, token, ±5-minute timestamp) and single-use nonces kept in
//! bounded memory.

use std::collections::{HashSet, VecDeque};

use actix_web::HttpRequest;

use super::errors::XError;
use super::signature::{HeaderError, SignedRequest};
use super::tokens;
use crate::Shared;
use crate::util::now;

/// Largest accepted distance between `oauth_timestamp` and the server's clock, in seconds.
pub const TIMESTAMP_WINDOW_SECS: i64 = 300;
/// Nonces remembered at most (a fuller memory answers 429 / 88 until old nonces age out).
pub const NONCE_CAPACITY: usize = 100_000;

/// Nonces seen in the last `2 × TIMESTAMP_WINDOW_SECS`: after that any request carrying one is
/// refused for its timestamp anyway, so forgetting it cannot let a replay through.
#[derive(Debug)]
pub struct Nonces {
    seen: HashSet<String>,
    order: VecDeque<(i64, String)>,
    capacity: usize,
}

impl Default for Nonces {
    fn default() -> Self {
        Self::with_capacity(NONCE_CAPACITY)
    }
}

impl Nonces {
    /// An empty memory holding at most `capacity` nonces.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            seen: HashSet::new(),
            order: VecDeque::new(),
            capacity,
        }
    }

    /// Records `key` first seen at `now`: `Ok(true)` if new, `Ok(false)` if seen, `Err` if full.
    pub fn record(&mut self, key: String, now: i64) -> Result<bool, XError> {
        while let Some((at, _)) = self.order.front() {
            if *at >= now - 2 * TIMESTAMP_WINDOW_SECS {
                break;
            }
            if let Some((_, old)) = self.order.pop_front() {
                self.seen.remove(&old);
            }
        }
        if self.seen.contains(&key) {
            return Ok(false);
        }
        if self.seen.len() >= self.capacity {
            return Err(XError::RateLimitExceeded);
        }
        self.seen.insert(key.clone());
        self.order.push_back((now, key));
        Ok(true)
    }

    /// How many nonces are remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.seen.len()
    }
}

/// A request whose signature, timestamp and nonce checked out.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The request's header parameters.
    pub request: SignedRequest,
    /// `oauth_token`, if any.
    pub token: Option<String>,
}

/// Checks a request signed with the sandbox's consumer credentials and the secret that
/// `token_secret` finds for its `oauth_token` (`None` when the request carries none); that lookup
/// answers its own error (89 for an unknown token).
pub fn authenticate(
    shared: &Shared,
    req: &HttpRequest,
    body: &[u8],
    token_secret: impl FnOnce(Option<&str>) -> Result<String, XError>,
) -> Result<Signed, XError> {
    let request = SignedRequest::from_request(req, body).map_err(|e| match e {
        HeaderError::Missing | HeaderError::Malformed => XError::BadAuthenticationData,
    })?;
    let required = [
        "oauth_consumer_key",
        "oauth_nonce",
        "oauth_signature_method",
        "oauth_timestamp",
    ];
    if required.iter().any(|k| request.oauth(k).is_none()) {
        return Err(XError::BadAuthenticationData);
    }
    let config = &shared.config;
    let consumer = request.oauth("oauth_consumer_key").unwrap_or_default();
    let known_consumer: bool =
        subtle::ConstantTimeEq::ct_eq(consumer.as_bytes(), config.x_consumer_key.as_bytes()).into();
    if !known_consumer
        || request.oauth("oauth_signature_method") != Some("HMAC-SHA1")
        || request.oauth("oauth_version").is_some_and(|v| v != "1.0")
    {
        return Err(XError::CouldNotAuthenticate);
    }
    let token = request
        .oauth("oauth_token")
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    let secret = token_secret(token.as_deref())?;
    if !request.verify(&config.x_consumer_secret, &secret) {
        return Err(XError::CouldNotAuthenticate);
    }
    let (now, _) = now();
    let timestamp: i64 = request
        .oauth("oauth_timestamp")
        .and_then(|t| t.parse().ok())
        .ok_or(XError::TimestampOutOfBounds)?;
    if (now - timestamp).abs() > TIMESTAMP_WINDOW_SECS {
        return Err(XError::TimestampOutOfBounds);
    }
    let nonce_key = format!(
        "{consumer}\0{}\0{}",
        token.as_deref().unwrap_or_default(),
        request.oauth("oauth_nonce").unwrap_or_default()
    );
    let fresh = shared
        .x
        .nonces
        .lock()
        .expect("nonces lock")
        .record(nonce_key, now)?;
    if !fresh {
        return Err(XError::CouldNotAuthenticate);
    }
    Ok(Signed { request, token })
}

/// The secret of a live access token: minted here, of a known user, not revoked (else 89).
pub fn access_secret(shared: &Shared, token: Option<&str>) -> Result<String, XError> {
    let token = token.ok_or(XError::InvalidToken)?;
    let known = tokens::user_id_of(&shared.x.key, token)
        .is_some_and(|id| shared.config.user_by_x_id(&id).is_some());
    let revoked = shared
        .x
        .revoked
        .lock()
        .expect("revoked lock")
        .contains(token);
    if !known || revoked {
        return Err(XError::InvalidToken);
    }
    Ok(tokens::secret_of(&shared.x.key, token))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nonce_is_accepted_once() {
        let mut n = Nonces::default();
        assert_eq!(n.record("a".into(), 1000), Ok(true));
        assert_eq!(n.record("a".into(), 1001), Ok(false));
        assert_eq!(n.record("b".into(), 1001), Ok(true));
    }

    #[test]
    fn memory_is_bounded_and_old_nonces_age_out() {
        let mut n = Nonces::with_capacity(2);
        assert_eq!(n.record("a".into(), 1000), Ok(true));
        assert_eq!(n.record("b".into(), 1000), Ok(true));
        assert_eq!(n.record("c".into(), 1000), Err(XError::RateLimitExceeded));
        assert_eq!(n.len(), 2);
        // Ten minutes later "a" and "b" could only come with a stale timestamp: forgotten.
        assert_eq!(n.record("c".into(), 1000 + 601), Ok(true));
        assert_eq!(n.len(), 1);
    }
}
