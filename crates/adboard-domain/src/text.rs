//! The rule every display name shares (user names, team names): Unicode-normalised (NFC),
//! trimmed, 1 to 100 characters, no control, direction-changing or zero-width characters, and at
//! least one visible character. Typed names breaking the rule are refused; names from elsewhere
//! (a sign-in provider) are cleaned instead.

use unicode_normalization::UnicodeNormalization as _;

use crate::DomainError;

/// The longest display name, in characters.
pub(crate) const MAX_NAME_CHARS: usize = 100;

/// Characters a name never carries: controls (C0, C1), the bidirectional marks, embeddings,
/// overrides and isolates (which make text read differently from how it is stored, e.g. U+202E),
/// and the zero-width / invisible formatting characters.
pub(crate) fn is_forbidden(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            | '\u{00AD}' | '\u{034F}' | '\u{180E}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
        )
}

/// Characters that show nothing: whitespace, forbidden ones, and blank fillers (Hangul fillers,
/// the blank Braille pattern).
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || is_forbidden(c)
        || matches!(
            c,
            '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}'
        )
}

/// `raw` in NFC and trimmed, if it is a valid display name; `field` names it in the error.
pub(crate) fn display_name(raw: &str, field: &'static str) -> Result<String, DomainError> {
    let normalised: String = raw.nfc().collect();
    let name = normalised.trim();
    if name.is_empty() {
        return Err(DomainError::Missing { field });
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(DomainError::invalid(
            field,
            format!("at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if name.chars().any(is_forbidden) {
        return Err(DomainError::invalid(
            field,
            "must not contain control, direction-changing or zero-width characters",
        ));
    }
    if name.chars().all(is_invisible) {
        return Err(DomainError::invalid(
            field,
            "must contain a visible character",
        ));
    }
    Ok(name.to_owned())
}

/// What is left of an untrusted name (e.g. from a sign-in provider) once it is in NFC, forbidden
/// characters are dropped, and it is trimmed and cut to [`MAX_NAME_CHARS`]; `None` if no visible
/// character is left.
pub(crate) fn sanitize_name(raw: &str) -> Option<String> {
    let cleaned: String = raw.nfc().filter(|c| !is_forbidden(*c)).collect();
    let name: String = cleaned.trim().chars().take(MAX_NAME_CHARS).collect();
    let name = name.trim_end();
    (!name.chars().all(is_invisible)).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_normalised_before_it_is_trimmed_and_kept() {
        // Found by the `domain_team_name` fuzz target: U+0340 (combining grave tone mark) is
        // NFC-mapped to U+0300, so a parsed name is not always the trimmed input's text.
        assert_eq!(display_name(" \u{340}", "name").unwrap(), "\u{300}");
        assert_eq!(
            display_name("\u{300}", "name").unwrap(),
            display_name(" \u{340}", "name").unwrap()
        );
    }

    #[test]
    fn typed_names_are_nfc_normalised() {
        // "e" + combining acute accent becomes the one precomposed character.
        assert_eq!(display_name("Re\u{301}my", "name").unwrap(), "R\u{e9}my");
    }

    #[test]
    fn direction_changing_zero_width_and_invisible_typed_names_are_refused() {
        for bad in [
            "evil\u{202E}txt.exe",
            "\u{200B}",
            "a\u{200B}b",
            "\u{2066}x\u{2069}",
            "\u{FEFF}Ann",
            "\u{3164}",
            "\u{2800}\u{2800}",
            "a\u{85}b",
        ] {
            assert!(display_name(bad, "name").is_err(), "{bad:?}");
        }
        assert!(display_name("Zoë 😀 日本", "name").is_ok());
    }

    #[test]
    fn provider_names_lose_what_typed_names_may_not_contain() {
        assert_eq!(sanitize_name("An\u{202E}n\u{200B}").as_deref(), Some("Ann"));
        assert_eq!(sanitize_name("\u{200B}\u{202E}"), None);
        assert_eq!(sanitize_name("\u{3164}"), None);
        assert_eq!(sanitize_name("Re\u{301}my").as_deref(), Some("R\u{e9}my"));
    }
}
