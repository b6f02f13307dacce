//! Fuzz target: `ConversionEvent::parse`.
//!
//! Properties: an accepted event is 1–100 characters of `a-z0-9_.`, not starting or ending with
//! `.`; it round-trips through display and serde; its Graph `action_type` candidates are never
//! empty and are themselves valid events.
#![no_main]

use adboard_domain::ads::ConversionEvent;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let Ok(event) = ConversionEvent::parse(raw) else {
        return;
    };
    let text = event.as_str();
    assert!((1..=ConversionEvent::MAX_LEN).contains(&text.len()));
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    );
    assert!(!text.starts_with('.') && !text.ends_with('.'));
    assert_eq!(text, raw.trim());
    assert_eq!(
        ConversionEvent::parse(&event.to_string()).as_ref(),
        Ok(&event)
    );
    let json = serde_json::to_string(&event).unwrap();
    assert_eq!(
        serde_json::from_str::<ConversionEvent>(&json).unwrap(),
        event
    );
    let candidates = event.action_type_candidates();
    assert!(!candidates.is_empty());
    for candidate in candidates {
        assert!(ConversionEvent::parse(&candidate).is_ok(), "{candidate:?}");
    }
});
