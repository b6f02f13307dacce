//! Fuzz target: `TeamName::parse`.
//!
//! Properties: an accepted name is 1–100 characters, with no control character and no
//! surrounding whitespace; trimming the input first changes nothing (the name is the input in
//! NFC, trimmed); parse → display → parse gives the same name.
#![no_main]

use adboard_domain::team::TeamName;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let Ok(name) = TeamName::parse(raw) else {
        return;
    };
    let text = name.as_str();
    // NFC may change characters (U+0340 becomes U+0300), so compare with the trimmed input's
    // own parse rather than with its text.
    assert_eq!(TeamName::parse(raw.trim()).as_ref(), Ok(&name));
    assert!((1..=TeamName::MAX_CHARS).contains(&text.chars().count()));
    assert!(!text.chars().any(char::is_control));
    assert_eq!(text, text.trim());
    assert_eq!(TeamName::parse(&name.to_string()).as_ref(), Ok(&name));
    let json = serde_json::to_string(&name).unwrap();
    assert_eq!(serde_json::from_str::<TeamName>(&json).unwrap(), name);
});
