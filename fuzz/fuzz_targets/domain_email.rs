//! Fuzz target: `EmailAddress::parse`.
//!
//! Properties: an accepted address is at most 254 bytes, has exactly one `@` with a non-empty
//! local part and a lower-case dotted ASCII domain, holds no whitespace or control character,
//! and parse → display → parse gives the same address.
#![no_main]

use adboard_domain::account::EmailAddress;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let Ok(email) = EmailAddress::parse(raw) else {
        return;
    };
    let text = email.as_str();
    assert!(text.len() <= EmailAddress::MAX_LEN);
    assert_eq!(text.matches('@').count(), 1, "{text:?}");
    let (local, domain) = text.split_once('@').unwrap();
    assert!(!local.is_empty() && local.len() <= 64);
    assert!(domain.contains('.') && !domain.bytes().any(|b| b.is_ascii_uppercase()));
    assert!(
        domain
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    );
    assert!(!text.chars().any(|c| c.is_whitespace() || c.is_control()));
    assert_eq!(EmailAddress::parse(&email.to_string()).as_ref(), Ok(&email));
    let json = serde_json::to_string(&email).unwrap();
    assert_eq!(serde_json::from_str::<EmailAddress>(&json).unwrap(), email);
});
