//! SigV4 signing of calls to an IAM-protected function URL (service `lambda`), with the
//! `aws-sigv4` crate and credentials from the standard AWS chain (on Lambda: the environment).

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;

/// Signs requests for one region and service with credentials from a provider.
#[derive(Debug, Clone)]
pub struct Signer {
    credentials: SharedCredentialsProvider,
    region: String,
    service: &'static str,
}

/// Why a request could not be signed. Never carries a key.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("no AWS credentials: {0}")]
    Credentials(String),
    #[error("signing failed: {0}")]
    Signing(String),
}

impl Signer {
    pub fn new(credentials: SharedCredentialsProvider, region: String) -> Self {
        Self {
            credentials,
            region,
            service: "lambda",
        }
    }

    /// From the standard AWS chain (environment, profile, container, instance metadata).
    pub async fn from_default_chain() -> anyhow::Result<Self> {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        let credentials = config
            .credentials_provider()
            .ok_or_else(|| anyhow::anyhow!("FUNCTION_AUTH=iam: no AWS credentials provider"))?;
        let region = config
            .region()
            .ok_or_else(|| anyhow::anyhow!("FUNCTION_AUTH=iam: no AWS region (set AWS_REGION)"))?
            .to_string();
        Ok(Self::new(credentials, region))
    }

    /// The headers to add (`authorization`, `x-amz-date`, `x-amz-security-token`, …) to a request
    /// with these `headers` (which must include every header sent that should be signed).
    pub async fn sign(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Vec<(String, String)>, SignError> {
        let credentials = self
            .credentials
            .provide_credentials()
            .await
            .map_err(|e| SignError::Credentials(e.to_string()))?;
        sign_at(
            &credentials,
            &self.region,
            self.service,
            SystemTime::now(),
            method,
            url,
            headers,
            body,
        )
    }
}

/// The signature headers for one request at `time`, with `credentials` (pure: tested against
/// AWS's published test suite).
#[allow(clippy::too_many_arguments)]
pub fn sign_at(
    credentials: &Credentials,
    region: &str,
    service: &str,
    time: SystemTime,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Vec<(String, String)>, SignError> {
    let identity: Identity = credentials.clone().into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name(service)
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .map_err(|e| SignError::Signing(e.to_string()))?
        .into();
    let request = SignableRequest::new(
        method,
        url,
        headers.iter().copied(),
        SignableBody::Bytes(body),
    )
    .map_err(|e| SignError::Signing(e.to_string()))?;
    let (instructions, _signature) = sign(request, &params)
        .map_err(|e| SignError::Signing(e.to_string()))?
        .into_parts();
    let (signed_headers, _params) = instructions.into_parts();
    Ok(signed_headers
        .into_iter()
        .map(|h| (h.name().to_owned(), h.value().to_owned()))
        .collect())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// AWS's published SigV4 test suite (aws-signing-test-suite/v4): its credentials and time.
    fn suite_credentials() -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "test-suite",
        )
    }

    fn suite_time() -> SystemTime {
        // 2015-08-30T12:36:00Z
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_440_938_160)
    }

    fn authorization(headers: &[(String, String)]) -> &str {
        headers
            .iter()
            .find(|(n, _)| n == "authorization")
            .map(|(_, v)| v.as_str())
            .expect("an authorization header")
    }

    #[test]
    fn get_vanilla_matches_the_published_signature() {
        let headers = sign_at(
            &suite_credentials(),
            "us-east-1",
            "service",
            suite_time(),
            "GET",
            "https://example.amazonaws.com/",
            &[("host", "example.amazonaws.com")],
            b"",
        )
        .unwrap();
        assert_eq!(
            authorization(&headers),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
             SignedHeaders=host;x-amz-date, \
             Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
        assert!(
            headers
                .iter()
                .any(|(n, v)| n == "x-amz-date" && v == "20150830T123600Z")
        );
    }

    #[test]
    fn post_vanilla_matches_the_published_signature() {
        let headers = sign_at(
            &suite_credentials(),
            "us-east-1",
            "service",
            suite_time(),
            "POST",
            "https://example.amazonaws.com/",
            &[("host", "example.amazonaws.com")],
            b"",
        )
        .unwrap();
        assert!(authorization(&headers).ends_with(
            "Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"
        ));
    }

    #[test]
    fn a_session_token_is_sent_and_the_body_changes_the_signature() {
        let creds = Credentials::new("AKID", "SECRET", Some("SESSION".into()), None, "t");
        let sign_body = |body: &[u8]| {
            sign_at(
                &creds,
                "eu-west-1",
                "lambda",
                suite_time(),
                "POST",
                "https://abc.lambda-url.eu-west-1.on.aws/",
                &[("content-type", "application/json")],
                body,
            )
            .unwrap()
        };
        let a = sign_body(b"{\"a\":1}");
        let b = sign_body(b"{\"a\":2}");
        assert!(
            a.iter()
                .any(|(n, v)| n == "x-amz-security-token" && v == "SESSION")
        );
        assert!(authorization(&a).contains("/eu-west-1/lambda/aws4_request"));
        assert_ne!(authorization(&a), authorization(&b));
    }
}
