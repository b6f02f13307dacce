//! Request parsing: query string, JSON body and `Authorization: Bearer` header into a
//! [`FetchRequest`] of domain types. Strict: unknown or repeated fields are rejected, and so is a
//! JSON body that repeats a key anywhere (serde_json alone would keep the last one silently).

use std::collections::{BTreeMap, BTreeSet};

use adboard_domain::ads::{AdAccountId, ConversionEvent, DateRange, parse_date};
use chrono::NaiveDate;
use secrecy::{ExposeSecret, SecretString};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::FnError;

/// The largest request body accepted (the contract's fields fit in well under 1 KiB).
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// The longest access token accepted (Facebook's are a few hundred characters).
const MAX_TOKEN_LEN: usize = 4096;

/// An HTTP request reduced to what the function reads; built by the Lambda adapter or by tests.
/// Its `Debug` shows field names only: values may hold a token.
#[derive(Clone, Copy)]
pub struct HttpInput<'a> {
    pub method: &'a str,
    /// Decoded query pairs, repeated keys repeated.
    pub query: &'a [(String, String)],
    /// The `Authorization` header, if any.
    pub authorization: Option<&'a str>,
    pub body: &'a [u8],
}

impl std::fmt::Debug for HttpInput<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<&str> = self.query.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("HttpInput")
            .field("method", &self.method)
            .field("query_keys", &keys)
            .field("authorization", &self.authorization.map(|_| "[REDACTED]"))
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A parsed request. `since`/`until` are optional: defaults depend on the account's timezone.
#[derive(Debug, Clone)]
pub struct FetchRequest {
    pub token: SecretString,
    pub account: AdAccountId,
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub conversion_event: ConversionEvent,
}

/// Field names accepted, with the tutorial's aliases mapped to ours.
fn canonical(name: &str) -> Option<&'static str> {
    Some(match name {
        "access_token" => "access_token",
        "account_id" => "account_id",
        "since" | "date_start" => "since",
        "until" | "date_end" => "until",
        "conversion_event" => "conversion_event",
        _ => return None,
    })
}

impl FetchRequest {
    pub fn parse(input: &HttpInput<'_>) -> Result<Self, FnError> {
        if !matches!(input.method, "GET" | "POST") {
            return Err(FnError::InvalidRequest("use GET or POST".into()));
        }
        if input.body.len() > MAX_BODY_BYTES {
            return Err(FnError::InvalidRequest(format!(
                "the request body is larger than {MAX_BODY_BYTES} bytes"
            )));
        }
        // `None` records a field given as JSON `null`: absent, but still counted as given.
        let mut fields: BTreeMap<&'static str, Option<String>> = BTreeMap::new();
        let mut put = |name: &str, value: Option<String>| -> Result<(), FnError> {
            let key = canonical(name).ok_or_else(|| {
                FnError::InvalidRequest(format!("unknown field {}", printable(name)))
            })?;
            if fields.insert(key, value).is_some() {
                return Err(FnError::InvalidRequest(format!(
                    "{key} is given more than once"
                )));
            }
            Ok(())
        };
        for (name, value) in input.query {
            put(name, Some(value.clone()))?;
        }
        if !input.body.iter().all(u8::is_ascii_whitespace) {
            if input.method != "POST" {
                return Err(FnError::InvalidRequest(
                    "a body is only accepted with POST".into(),
                ));
            }
            let body: Value = serde_json::from_slice(input.body).map_err(|e| {
                FnError::InvalidRequest(format!(
                    "the body is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ))
            })?;
            let Value::Object(map) = body else {
                return Err(FnError::InvalidRequest(
                    "the body must be a JSON object".into(),
                ));
            };
            if let Some(path) = first_repeated_key(input.body) {
                return Err(FnError::InvalidRequest(format!(
                    "the body gives {} more than once",
                    printable(&path)
                )));
            }
            for (name, value) in map {
                match value {
                    Value::Null => put(&name, None)?,
                    Value::String(s) => put(&name, Some(s))?,
                    Value::Number(n) if canonical(&name) == Some("account_id") => {
                        put(&name, Some(n.to_string()))?
                    }
                    _ => {
                        return Err(FnError::InvalidRequest(format!(
                            "{} must be a string",
                            printable(&name)
                        )));
                    }
                }
            }
        }
        let mut fields: BTreeMap<&'static str, String> = fields
            .into_iter()
            .filter_map(|(key, value)| Some((key, value?)))
            .collect();
        let token = token(input.authorization, fields.remove("access_token"))?;
        let account = AdAccountId::parse(fields.get("account_id").map_or("", String::as_str))?;
        let date = |key: &'static str| fields.get(key).map(|raw| parse_date(key, raw)).transpose();
        let (since, until) = (date("since")?, date("until")?);
        if let (Some(since), Some(until)) = (since, until)
            && since > until
        {
            return Err(FnError::InvalidRequest(
                "since must not be after until".into(),
            ));
        }
        let conversion_event = match fields.get("conversion_event") {
            Some(raw) => ConversionEvent::parse(raw)?,
            None => ConversionEvent::default(),
        };
        Ok(Self {
            token,
            account,
            since,
            until,
            conversion_event,
        })
    }
}

impl FetchRequest {
    /// A request for exactly `range`, from a caller in the same process that already holds domain
    /// types: the token gets the same checks (and the same trimming) as a Bearer header.
    pub fn for_range(
        token: &SecretString,
        account: AdAccountId,
        range: DateRange,
        conversion_event: ConversionEvent,
    ) -> Result<Self, FnError> {
        Ok(Self {
            token: usable(SecretString::from(token.expose_secret().trim().to_owned()))?,
            account,
            since: Some(range.since()),
            until: Some(range.until()),
            conversion_event,
        })
    }
}

/// The `Authorization` scheme of an AWS SigV4 signature.
const SIGV4_SCHEME: &str = "AWS4-HMAC-SHA256";

/// The token from `Authorization: Bearer …` or the `access_token` field; both must agree.
fn token(header: Option<&str>, field: Option<String>) -> Result<SecretString, FnError> {
    let from_header = match header.map(str::trim) {
        None | Some("") => None,
        Some(value) => {
            let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
            if scheme == SIGV4_SCHEME {
                // A function URL with IAM auth: the header is AWS's signature (checked by Lambda
                // before we run); the token then travels in the body's `access_token`.
                return token(None, field);
            }
            if !scheme.eq_ignore_ascii_case("bearer") {
                return Err(FnError::InvalidRequest(
                    "the Authorization header must use the Bearer scheme".into(),
                ));
            }
            Some(SecretString::from(rest.trim().to_owned()))
        }
    };
    let from_field = field.map(|f| SecretString::from(f.trim().to_owned()));
    let token = match (from_header, from_field) {
        (Some(h), Some(f)) if h.expose_secret() != f.expose_secret() => {
            return Err(FnError::InvalidRequest(
                "the access token in the Authorization header and in access_token disagree".into(),
            ));
        }
        (Some(t), _) | (None, Some(t)) => t,
        (None, None) => {
            return Err(FnError::TokenMissing(
                "an access token is required (Authorization: Bearer …)",
            ));
        }
    };
    usable(token)
}

/// `token` if it can be an access token at all: not blank, printable ASCII, not too long.
fn usable(token: SecretString) -> Result<SecretString, FnError> {
    let raw = token.expose_secret();
    if raw.is_empty() {
        return Err(FnError::TokenMissing("the access token is blank"));
    }
    if raw.len() > MAX_TOKEN_LEN || !raw.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(FnError::TokenMissing("the access token is malformed"));
    }
    Ok(token)
}

/// The path (`a.b`, `list[].c`) of the first key that an object anywhere in the JSON document
/// `body` repeats, or `None`. Syntax errors are the caller's to report: this only looks at keys.
fn first_repeated_key(body: &[u8]) -> Option<String> {
    let mut found = None;
    let mut de = serde_json::Deserializer::from_slice(body);
    // An error here is either the repeated key (recorded in `found`) or a syntax error.
    let _ = UniqueKeys {
        path: "",
        found: &mut found,
    }
    .deserialize(&mut de);
    found
}

/// A serde seed that walks any JSON value and fails at the first object key seen twice.
struct UniqueKeys<'a> {
    path: &'a str,
    found: &'a mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for UniqueKeys<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for UniqueKeys<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let path = format!("{}[]", self.path);
        while seq
            .next_element_seed(UniqueKeys {
                path: &path,
                found: &mut *self.found,
            })?
            .is_some()
        {}
        Ok(())
    }

    // Numbers arrive here too when serde_json's `arbitrary_precision` is on (a one-key map).
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = BTreeSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = match self.path {
                "" => key.clone(),
                parent => format!("{parent}.{key}"),
            };
            if !seen.insert(key) {
                *self.found = Some(path);
                return Err(de::Error::custom("repeated key"));
            }
            map.next_value_seed(UniqueKeys {
                path: &path,
                found: &mut *self.found,
            })?;
        }
        Ok(())
    }
}

/// A field name safe to echo in an error message (bounded, printable).
fn printable(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(40)
        .collect();
    format!("{clean:?}")
}
