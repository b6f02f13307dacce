//! Structured inputs shared by the fuzz targets, each decoded from a readable byte layout.
//!
//! The inputs implement [`arbitrary::Arbitrary`] by hand instead of deriving it: a derived layout
//! (lengths read from the end of the data, enums from 4-byte integers) cannot be written by hand,
//! so the seed corpus could not come from the project's own fixtures. Here an HTTP request is
//! written the way one reads it, so `seeds/function_request/*` are the function's example events
//! and bad-input lists as text, and libFuzzer's mutations stay meaningful (a byte flip in a JSON
//! body is still a JSON body).

use arbitrary::{Arbitrary, Unstructured};

/// Implements `Arbitrary` for types read from the whole input by their `decode`.
macro_rules! decoded_from_the_whole_input {
    ($($ty:ty),*) => {$(
        impl<'a> Arbitrary<'a> for $ty {
            fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
                Ok(Self::decode(u.bytes(u.len())?))
            }

            fn arbitrary_take_rest(u: Unstructured<'a>) -> arbitrary::Result<Self> {
                Ok(Self::decode(u.take_rest()))
            }
        }
    )*};
}

decoded_from_the_whole_input!(RequestInput, HeaderLines, StatusBody);

/// A request to the function, as the `lambda_http` adapter hands it over:
///
/// ```text
/// METHOD [raw-query-string]
/// Header-Name: value
/// …
///
/// body bytes
/// ```
///
/// The query string is decoded like `lambda_http` decodes `rawQueryString` (form-urlencoded,
/// repeated keys kept), and only the first `Authorization` header is read, as the adapter does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestInput {
    pub method: String,
    pub query: Vec<(String, String)>,
    pub authorization: Option<String>,
    pub body: Vec<u8>,
}

impl RequestInput {
    pub fn decode(data: &[u8]) -> Self {
        let (head, body) = split_once(data, b"\n\n").unwrap_or((data, b""));
        let mut lines = head.split(|&b| b == b'\n');
        let request_line = lines.next().unwrap_or_default();
        let (method, raw_query) = split_once(request_line, b" ").unwrap_or((request_line, b""));
        let headers = HeaderLines::decode_lines(lines);
        Self {
            method: String::from_utf8_lossy(method).into_owned(),
            query: url::form_urlencoded::parse(raw_query)
                .into_owned()
                .collect(),
            authorization: headers.get_str(http::header::AUTHORIZATION.as_str()),
            body: body.to_vec(),
        }
    }
}

/// HTTP headers written one per line, `name: value`; lines that are not valid headers (as the
/// `http` crate sees them) are dropped, as no HTTP stack would deliver them.
#[derive(Debug, Clone, Default)]
pub struct HeaderLines(pub http::HeaderMap);

impl HeaderLines {
    pub fn decode(data: &[u8]) -> Self {
        Self::decode_lines(data.split(|&b| b == b'\n'))
    }

    fn decode_lines<'b>(lines: impl Iterator<Item = &'b [u8]>) -> Self {
        let mut map = http::HeaderMap::new();
        for line in lines {
            let Some((name, value)) = split_once(line, b":") else {
                continue;
            };
            let value = value.strip_prefix(b" ").unwrap_or(value);
            if let (Ok(name), Ok(value)) = (
                http::HeaderName::from_bytes(name),
                http::HeaderValue::from_bytes(value),
            ) {
                map.append(name, value);
            }
        }
        Self(map)
    }

    /// The first value of `name` if it is visible ASCII (what `HeaderValue::to_str` accepts).
    pub fn get_str(&self, name: &str) -> Option<String> {
        self.0
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// An HTTP answer from Facebook: the status on the first line (`400`), the body after it. A first
/// line that is not a status means 400 with the whole input as the body.
#[derive(Debug, Clone)]
pub struct StatusBody {
    pub status: u16,
    pub body: Vec<u8>,
}

impl StatusBody {
    pub fn decode(data: &[u8]) -> Self {
        let status = split_once(data, b"\n").and_then(|(line, body)| {
            let status: u16 = std::str::from_utf8(line).ok()?.trim().parse().ok()?;
            (100..=599).contains(&status).then_some((status, body))
        });
        match status {
            Some((status, body)) => Self {
                status,
                body: body.to_vec(),
            },
            None => Self {
                status: 400,
                body: data.to_vec(),
            },
        }
    }
}

/// True for the one canonical UUID text: 36 characters, lower-case hex, hyphens at 8-13-18-23.
pub fn is_canonical_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(&b),
        })
}

fn split_once<'b>(data: &'b [u8], sep: &[u8]) -> Option<(&'b [u8], &'b [u8])> {
    let at = data.windows(sep.len()).position(|w| w == sep)?;
    Some((&data[..at], &data[at + sep.len()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_read_line_by_line() {
        let req = RequestInput::decode(
            b"POST account_id=act_1&account_id=2&x=a%20b+c\nauthorization: Bearer tok\nAuthorization: Bearer other\n\n{\"since\":\"2026-05-01\"}",
        );
        assert_eq!(req.method, "POST");
        assert_eq!(
            req.query,
            [
                ("account_id".to_owned(), "act_1".to_owned()),
                ("account_id".into(), "2".into()),
                ("x".into(), "a b c".into())
            ]
        );
        assert_eq!(req.authorization.as_deref(), Some("Bearer tok"));
        assert_eq!(req.body, b"{\"since\":\"2026-05-01\"}");
    }

    #[test]
    fn a_request_line_alone_has_no_headers_and_no_body() {
        let req = RequestInput::decode(b"GET");
        assert_eq!((req.method.as_str(), req.query.len()), ("GET", 0));
        assert!(req.authorization.is_none() && req.body.is_empty());
    }

    #[test]
    fn a_status_line_is_optional() {
        let sb = StatusBody::decode(b"503\n{}");
        assert_eq!((sb.status, sb.body.as_slice()), (503, b"{}".as_slice()));
        let sb = StatusBody::decode(b"{\"error\":1}");
        assert_eq!((sb.status, sb.body.len()), (400, 11));
    }
}
