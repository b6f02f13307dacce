//! Fuzz target: `AdAccountId::parse`.
//!
//! Properties: an accepted id is 1–20 ASCII digits, equal to the input without surrounding
//! whitespace and without one `act_` prefix; its Graph node is `act_` + those digits; parsing
//! its display, its Graph node or its serde form gives the same id.
#![no_main]

use adboard_domain::ads::AdAccountId;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    let Ok(id) = AdAccountId::parse(raw) else {
        return;
    };
    let digits = id.as_str();
    assert!(
        (1..=AdAccountId::MAX_DIGITS).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit()),
        "{digits:?}"
    );
    let trimmed = raw.trim();
    assert_eq!(trimmed.strip_prefix("act_").unwrap_or(trimmed), digits);
    assert_eq!(id.graph_node(), format!("act_{digits}"));
    assert_eq!(AdAccountId::parse(&id.to_string()).as_ref(), Ok(&id));
    assert_eq!(AdAccountId::parse(&id.graph_node()).as_ref(), Ok(&id));
    let json = serde_json::to_string(&id).unwrap();
    assert_eq!(serde_json::from_str::<AdAccountId>(&json).unwrap(), id);
});
