//! Fuzz target: `TeamRole::parse`, `TeamRole::parse_assignable` and `Provider::parse`.
//!
//! Properties: a role is accepted only as its exact upper-case name (surrounding whitespace
//! aside) and OWNER is never assignable; a provider only as its exact name; each round-trips.
#![no_main]

use adboard_domain::account::Provider;
use adboard_domain::team::TeamRole;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|raw: &str| {
    if let Ok(role) = TeamRole::parse(raw) {
        assert_eq!(role.as_str(), raw.trim());
        assert_eq!(TeamRole::parse(&role.to_string()), Ok(role));
    }
    if let Ok(role) = TeamRole::parse_assignable(raw) {
        assert_ne!(role, TeamRole::Owner);
        assert!(TeamRole::ASSIGNABLE.contains(&role));
    }
    if let Ok(provider) = Provider::parse(raw) {
        assert_eq!(provider.as_str(), raw);
        assert_eq!(Provider::parse(&provider.to_string()), Ok(provider));
    }
});
