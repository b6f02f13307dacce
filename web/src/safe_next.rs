//! `safe_next`: where to go after sign-in — only a same-origin relative path, anything else is `/`.

/// Returns `raw` if it is unmistakably a path on this site (`/` followed by a path that no browser
/// could read as another host or scheme), otherwise `/`.
///
/// The rules are deliberately strict rather than clever: the value must start with a single `/`,
/// must not contain a backslash, any control or whitespace character, or any percent-encoding that
/// decodes to `/`, `\`, control characters or `%` (double encoding), and its path must not start
/// with `//` after decoding. Queries are kept; fragments are dropped.
pub fn safe_next(raw: Option<&str>) -> String {
    raw.and_then(checked).unwrap_or_else(|| "/".to_owned())
}

fn checked(raw: &str) -> Option<String> {
    if raw.len() > 2048 || !raw.starts_with('/') || raw.starts_with("//") {
        return None;
    }
    if raw
        .chars()
        .any(|c| c == '\\' || c.is_control() || c.is_whitespace() || !c.is_ascii())
    {
        return None;
    }
    let without_fragment = raw.split('#').next().unwrap_or("/");
    // Look at every percent-escape: reject those that decode to separators, controls or another escape.
    let bytes = without_fragment.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = without_fragment.get(i + 1..i + 3)?;
            let value = u8::from_str_radix(hex, 16).ok()?;
            if !(0x20..0x7f).contains(&value)
                || matches!(value, b'/' | b'\\' | b'%' | b'.' | b':' | b'@')
            {
                return None;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    let path = without_fragment.split('?').next().unwrap_or("/");
    // No dot segments that could climb out (`/./` or `/../`), no `@` or `:` in the path part.
    if path.split('/').any(|seg| seg == "." || seg == "..") || path.contains(['@', ':']) {
        return None;
    }
    // The URL parser must agree that this is a path on our own origin.
    let base = url::Url::parse("http://adboard.invalid/").expect("constant URL");
    let joined = base.join(without_fragment).ok()?;
    if joined.origin() != base.origin() {
        return None;
    }
    Some(without_fragment.to_owned())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn plain_relative_paths_are_kept_with_their_query() {
        for ok in [
            "/",
            "/profile",
            "/teams/42/connectors?tab=facebook&x=1",
            "/a%20b",
            "/dashboard?range=7d",
        ] {
            assert_eq!(safe_next(Some(ok)), ok);
        }
    }

    #[test]
    fn fragments_are_dropped() {
        assert_eq!(safe_next(Some("/profile#name")), "/profile");
    }

    #[test]
    fn missing_next_goes_home() {
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("")), "/");
    }

    #[test]
    fn every_known_open_redirect_trick_lands_on_the_home_page() {
        let tricks = [
            "//evil.example",
            "https://evil.example",
            "http://evil.example/profile",
            "/\\evil.example",
            "\\\\evil.example",
            "\\/evil.example",
            "%2F%2Fevil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "/%09/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            " //evil.example",
            "///evil.example",
            "////evil.example",
            "/ /evil.example",
            "evil.example",
            "profile",
            "https:evil.example",
            "//evil.example@adboard",
            "/@evil.example",
            "/.evil.example/../..//evil.example",
            "/..//evil.example",
            "/%2e%2e//evil.example",
            "/%252F%252Fevil.example",
            "/%E3%80%82evil.example",
            "/\u{3002}evil.example",
            "/\u{ff0f}\u{ff0f}evil.example",
            "/%00evil",
            "/%",
            "/%zz",
            "?next=//evil.example",
            "#//evil.example",
        ];
        for trick in tricks {
            assert_eq!(
                safe_next(Some(trick)),
                "/",
                "{trick:?} must not be followed"
            );
        }
    }

    #[test]
    fn overlong_values_go_home() {
        let long = format!("/{}", "a".repeat(5000));
        assert_eq!(safe_next(Some(&long)), "/");
    }
}
