//! The rule every display name shares (user names, team names): trimmed, 1 to 100 characters,
//! no control characters.

use crate::DomainError;

/// The longest display name, in characters.
pub(crate) const MAX_NAME_CHARS: usize = 100;

/// `raw` trimmed, if it is a valid display name; `field` names it in the error.
pub(crate) fn display_name(raw: &str, field: &'static str) -> Result<String, DomainError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(DomainError::Missing { field });
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(DomainError::invalid(
            field,
            format!("at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            field,
            "must not contain control characters",
        ));
    }
    Ok(name.to_owned())
}

/// What is left of an untrusted name (e.g. from a sign-in provider) once control characters are
/// dropped, trimmed and cut to [`MAX_NAME_CHARS`]; `None` if nothing is left.
pub(crate) fn sanitize_name(raw: &str) -> Option<String> {
    let cleaned: String = raw.chars().filter(|c| !c.is_control()).collect();
    let name: String = cleaned.trim().chars().take(MAX_NAME_CHARS).collect();
    let name = name.trim_end();
    (!name.is_empty()).then(|| name.to_owned())
}
