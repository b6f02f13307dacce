//! Fuzz target: the web app's `safe_next` (where to go after sign-in).
//!
//! Properties: the result is always a same-origin relative path — it starts with exactly one `/`,
//! holds no `//` at its start, no backslash, no control, whitespace or non-ASCII character, no
//! percent-escape of `/`, `\` or `%`, and resolves against our origin to our origin; when it is
//! not `/` it is the input minus its fragment; and `safe_next` is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;

// The web crate's own source file, compiled here as a module. Depending on `adboard-web` would
// build actix-web, tera, the store backends and the OAuth stack into every fuzz binary for one
// function that needs only std and `url`; including the file fuzzes the very code the app runs
// (not a copy), and this stays honest as long as `safe_next.rs` depends on nothing but `url`.
#[path = "../../web/src/safe_next.rs"]
#[allow(dead_code)]
mod safe_next;

use safe_next::safe_next;

fuzz_target!(|raw: &str| {
    let out = safe_next(Some(raw));
    assert!(out.starts_with('/'), "{out:?}");
    assert!(!out.starts_with("//"), "{out:?}");
    assert!(
        !out.chars()
            .any(|c| c == '\\' || c.is_control() || c.is_whitespace() || !c.is_ascii()),
        "{out:?}"
    );
    let lower = out.to_ascii_lowercase();
    for escape in ["%2f", "%5c", "%25", "%00", "%09", "%0a", "%0d"] {
        assert!(!lower.contains(escape), "{out:?}");
    }
    let base = url::Url::parse("https://adboard.invalid/").unwrap();
    let joined = base.join(&out).unwrap();
    assert_eq!(joined.origin(), base.origin(), "{out:?}");
    assert_eq!(joined.host_str(), Some("adboard.invalid"));
    if out != "/" {
        assert_eq!(out, raw.split('#').next().unwrap(), "{raw:?}");
    }
    assert_eq!(safe_next(Some(&out)), out, "not idempotent for {raw:?}");
});
