//! Fuzz target: `UserId::parse`.
//!
//! Properties: an accepted id displays in the one canonical form (36 characters, lower-case
//! hyphenated UUID) and parse → display → parse gives the same id.
#![no_main]

use adboard_domain::account::UserId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let Ok(id) = UserId::parse(raw) else {
        return;
    };
    let text = id.to_string();
    assert!(adboard_fuzz::is_canonical_uuid(&text), "{text:?}");
    assert_eq!(UserId::parse(&text), Ok(id));
});
