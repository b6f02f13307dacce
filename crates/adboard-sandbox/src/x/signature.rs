//! RFC 5849 HMAC-SHA1 signatures: reading `Authorization: OAuth …`, the signature base string
//! (§3.4.1), percent-encoding (§3.6) and the constant-time check (§3.4.2).

use actix_web::HttpRequest;
use actix_web::http::header::{AUTHORIZATION, CONTENT_TYPE};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha1::Sha1;

use crate::params::Params;

/// §3.6: everything but the unreserved characters `ALPHA DIGIT - . _ ~` is `%XX` (upper case).
const RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// §3.6 percent-encoding of a UTF-8 string.
pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, RESERVED).to_string()
}

/// Why a request's OAuth header could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderError {
    /// No `Authorization: OAuth …` header.
    Missing,
    /// The header is not a list of `oauth_name="percent-encoded value"` pairs.
    Malformed,
}

/// The protocol parameters of `Authorization: OAuth k="v", …` (§3.5.1), decoded, `realm` dropped.
pub fn parse_header(value: &str) -> Result<Vec<(String, String)>, HeaderError> {
    let value = value.trim();
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("OAuth") {
        return Err(HeaderError::Missing);
    }
    let mut out: Vec<(String, String)> = Vec::new();
    for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, quoted) = part.split_once('=').ok_or(HeaderError::Malformed)?;
        let inner = quoted
            .trim()
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .filter(|v| !v.contains('"'))
            .ok_or(HeaderError::Malformed)?;
        let name = decode(name.trim())?;
        if name == "realm" {
            continue;
        }
        if !name.starts_with("oauth_") || out.iter().any(|(have, _)| *have == name) {
            return Err(HeaderError::Malformed);
        }
        out.push((name, decode(inner)?));
    }
    if out.is_empty() {
        return Err(HeaderError::Malformed);
    }
    Ok(out)
}

fn decode(s: &str) -> Result<String, HeaderError> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| HeaderError::Malformed)
}

/// §3.4.1: `METHOD&enc(base URI)&enc(normalised parameters)`; `params` are decoded pairs from the
/// query, the form body and the header (without `oauth_signature`).
pub fn base_string(method: &str, base_uri: &str, params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> =
        params.iter().map(|(k, v)| (encode(k), encode(v))).collect();
    encoded.sort();
    let normalised = encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        encode(base_uri),
        encode(&normalised)
    )
}

/// §3.4.2: `base64(HMAC-SHA1(enc(consumer secret) & enc(token secret), base string))`.
pub fn hmac_sha1(consumer_secret: &str, token_secret: &str, base: &str) -> Vec<u8> {
    let key = format!("{}&{}", encode(consumer_secret), encode(token_secret));
    let mut mac = Hmac::<Sha1>::new_from_slice(key.as_bytes()).expect("HMAC takes any key");
    mac.update(base.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// A request carrying OAuth 1.0a protocol parameters in its `Authorization` header.
#[derive(Debug, Clone)]
pub struct SignedRequest {
    oauth: Vec<(String, String)>,
    base: String,
    signature: String,
}

impl SignedRequest {
    /// Reads the header and builds the base string from the request as it arrived: scheme and
    /// `Host` lower-cased with the default port dropped (§3.4.1.2), the path, the query, and the
    /// body when it is `application/x-www-form-urlencoded` (§3.4.1.3.1).
    pub fn from_request(req: &HttpRequest, body: &[u8]) -> Result<Self, HeaderError> {
        let header = req
            .headers()
            .get(AUTHORIZATION)
            .ok_or(HeaderError::Missing)?
            .to_str()
            .map_err(|_| HeaderError::Malformed)?;
        let mut oauth = parse_header(header)?;
        let signature = oauth
            .iter()
            .position(|(k, _)| k == "oauth_signature")
            .map(|i| oauth.remove(i).1)
            .ok_or(HeaderError::Malformed)?;
        let is_form = req
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                v.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        let body = if is_form { body } else { &[] };
        let mut params = Params::from_request(req, body).without(&[]);
        params.extend(oauth.iter().cloned());
        let base = base_string(req.method().as_str(), &base_uri(req), &params);
        Ok(Self {
            oauth,
            base,
            signature,
        })
    }

    /// A protocol parameter from the header (`oauth_consumer_key`, …).
    pub fn oauth(&self, name: &str) -> Option<&str> {
        self.oauth
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `oauth_signature` is the HMAC-SHA1 of the base string with these secrets.
    pub fn verify(&self, consumer_secret: &str, token_secret: &str) -> bool {
        let Ok(given) = STANDARD.decode(&self.signature) else {
            return false;
        };
        let expected = hmac_sha1(consumer_secret, token_secret, &self.base);
        subtle::ConstantTimeEq::ct_eq(expected.as_slice(), given.as_slice()).into()
    }
}

/// §3.4.1.2 base string URI: `scheme://host[:port]/path`, no query, default port omitted.
fn base_uri(req: &HttpRequest) -> String {
    let info = req.connection_info();
    let scheme = info.scheme().to_ascii_lowercase();
    let host = info.host().to_ascii_lowercase();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let host = host.strip_suffix(default_port).unwrap_or(&host);
    format!("{scheme}://{host}{}", req.path())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn encoding_keeps_only_unreserved_characters() {
        assert_eq!(encode("Ladies + Gentlemen"), "Ladies%20%2B%20Gentlemen");
        assert_eq!(encode("An encoded string!"), "An%20encoded%20string%21");
        assert_eq!(encode("Dogs, Cats & Mice"), "Dogs%2C%20Cats%20%26%20Mice");
        assert_eq!(encode("☃"), "%E2%98%83");
        assert_eq!(encode("a-b.c_d~e"), "a-b.c_d~e");
    }

    /// X's documented walkthrough ("Creating a signature"): the same inputs give its signature.
    #[test]
    fn the_documented_x_example_signs_to_its_published_value() {
        let params = pairs(&[
            (
                "status",
                "Hello Ladies + Gentlemen, a signed OAuth request!",
            ),
            ("include_entities", "true"),
            ("oauth_consumer_key", "xvz1evFS4wEEPTGEFPHBog"),
            ("oauth_nonce", "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "1318622958"),
            (
                "oauth_token",
                "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
            ),
            ("oauth_version", "1.0"),
        ]);
        let base = base_string(
            "post",
            "https://api.twitter.com/1.1/statuses/update.json",
            &params,
        );
        assert!(base.starts_with(
            "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3D"
        ));
        let sig = hmac_sha1(
            "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw",
            "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE",
            &base,
        );
        assert_eq!(STANDARD.encode(sig), "hCtSmYh+iHYCEqBWrE7C7hYmtUk=");
    }

    /// RFC 5849 §3.4.1.3.2: repeated names sort by value, encoded names and values.
    #[test]
    fn parameters_are_normalised_as_the_rfc_example() {
        let params = pairs(&[
            ("b5", "=%3D"),
            ("a3", "a"),
            ("c@", ""),
            ("a2", "r b"),
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
            ("c2", ""),
            ("a3", "2 q"),
        ]);
        let base = base_string("POST", "http://example.com/request", &params);
        let expected_params = "a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9dj\
             dj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7";
        assert_eq!(
            base,
            format!(
                "POST&http%3A%2F%2Fexample.com%2Frequest&{}",
                encode(expected_params)
            )
        );
    }

    #[test]
    fn the_header_is_read_with_quoted_percent_encoded_values() {
        let h = "OAuth realm=\"Example\", oauth_consumer_key=\"a%20b\",oauth_nonce=\"n%2Bx\"";
        assert_eq!(
            parse_header(h),
            Ok(pairs(&[
                ("oauth_consumer_key", "a b"),
                ("oauth_nonce", "n+x")
            ]))
        );
        assert_eq!(parse_header("Bearer abc"), Err(HeaderError::Missing));
        for bad in [
            "OAuth oauth_nonce=n",
            "OAuth oauth_nonce=\"a\"b\"",
            "OAuth status=\"x\"",
            "OAuth oauth_nonce=\"a\", oauth_nonce=\"b\"",
            "OAuth oauth_nonce=\"%FF\"",
            "OAuth ",
        ] {
            assert_eq!(parse_header(bad), Err(HeaderError::Malformed), "{bad}");
        }
    }
}
