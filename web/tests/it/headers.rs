//! Every response carries the security headers: a content security policy that allows only our own
//! origin, no framing, no MIME sniffing, and no Referer to other sites.

use crate::helpers::spawn_sandbox_app;

#[tokio::test]
async fn pages_redirects_errors_and_assets_carry_the_security_headers() {
    let app = spawn_sandbox_app().await;
    for (path, status) in [
        ("/", 200),
        ("/login", 200),
        ("/profile", 303),
        ("/teams/not-a-team", 303),
        ("/no/such/page", 404),
        ("/static/adboard.css", 200),
        ("/static/adboard.js", 200),
        ("/favicon.ico", 200),
        ("/login/sandbox/callback?code=x&state=y", 400),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        let headers = response.headers();
        let header = |name: &str| {
            headers
                .get(name)
                .unwrap_or_else(|| panic!("GET {path}: no {name} header"))
                .to_str()
                .unwrap()
                .to_owned()
        };
        let csp = header("content-security-policy");
        assert!(csp.contains("default-src 'self'"), "GET {path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "GET {path}: {csp}");
        assert_eq!(header("x-content-type-options"), "nosniff", "GET {path}");
        assert_eq!(header("x-frame-options"), "DENY", "GET {path}");
        assert_eq!(header("referrer-policy"), "same-origin", "GET {path}");
    }
}
