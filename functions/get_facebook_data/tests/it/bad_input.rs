//! Bad requests are answered 400/401 from the request alone, without a single Graph call.

use crate::helpers::*;

async fn rejected(query: &[(&str, &str)], auth: Option<&str>) -> Answer {
    let deps = offline_deps();
    let answer = get(&deps, query, auth).await;
    assert_eq!(
        deps.client.graph_calls(),
        0,
        "a Graph call was made for {query:?}"
    );
    answer
}

fn assert_invalid(answer: &Answer) {
    assert_eq!(
        (answer.status, answer.error_code()),
        (400, "invalid_request"),
        "{}",
        answer.body
    );
    assert!(
        answer.json["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
}

#[tokio::test]
async fn a_request_without_a_token_is_401_token_invalid() {
    let answer = rejected(&[("account_id", "1234")], None).await;
    assert_eq!((answer.status, answer.error_code()), (401, "token_invalid"));
}

#[tokio::test]
async fn a_blank_token_is_401_token_invalid() {
    let answer = rejected(&[("account_id", "1234"), ("access_token", "  ")], None).await;
    assert_eq!((answer.status, answer.error_code()), (401, "token_invalid"));
}

#[tokio::test]
async fn a_missing_account_id_is_rejected() {
    assert_invalid(&rejected(&[], Some("tok")).await);
}

#[tokio::test]
async fn a_blank_account_id_is_rejected() {
    assert_invalid(&rejected(&[("account_id", "  ")], Some("tok")).await);
}

#[tokio::test]
async fn a_non_numeric_account_id_is_rejected() {
    assert_invalid(&rejected(&[("account_id", "acme")], Some("tok")).await);
}

#[tokio::test]
async fn an_account_id_with_a_path_is_rejected() {
    assert_invalid(&rejected(&[("account_id", "act_12/../me")], Some("tok")).await);
}

#[tokio::test]
async fn an_account_id_with_a_query_string_is_rejected() {
    assert_invalid(&rejected(&[("account_id", "12?x=1")], Some("tok")).await);
}

#[tokio::test]
async fn a_25_digit_account_id_is_rejected() {
    assert_invalid(&rejected(&[("account_id", "1234567890123456789012345")], Some("tok")).await);
}

#[tokio::test]
async fn february_30_is_rejected() {
    assert_invalid(
        &rejected(
            &[
                ("account_id", "1234"),
                ("since", "2026-02-30"),
                ("until", "2026-03-02"),
            ],
            Some("tok"),
        )
        .await,
    );
}

#[tokio::test]
async fn since_after_until_is_rejected() {
    assert_invalid(
        &rejected(
            &[
                ("account_id", "1234"),
                ("since", "2026-05-02"),
                ("until", "2026-05-01"),
            ],
            Some("tok"),
        )
        .await,
    );
}

#[tokio::test]
async fn a_range_starting_38_months_back_is_rejected() {
    let since = today()
        .checked_sub_months(chrono::Months::new(38))
        .unwrap()
        .to_string();
    let answer = rejected(
        &[
            ("account_id", "1234"),
            ("since", &since),
            ("until", &days_ago(1)),
        ],
        Some("tok"),
    )
    .await;
    assert_invalid(&answer);
    assert!(
        answer.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("37 months")
    );
}

#[tokio::test]
async fn a_range_ending_next_week_is_rejected() {
    let next_week = today()
        .checked_add_days(chrono::Days::new(7))
        .unwrap()
        .to_string();
    assert_invalid(
        &rejected(
            &[
                ("account_id", "1234"),
                ("since", &days_ago(1)),
                ("until", &next_week),
            ],
            Some("tok"),
        )
        .await,
    );
}

#[tokio::test]
async fn an_unknown_query_field_is_rejected() {
    assert_invalid(&rejected(&[("account_id", "1234"), ("fields", "spend")], Some("tok")).await);
}

#[tokio::test]
async fn a_repeated_field_or_a_field_and_its_alias_are_rejected() {
    assert_invalid(
        &rejected(
            &[("account_id", "1234"), ("account_id", "5678")],
            Some("tok"),
        )
        .await,
    );
    assert_invalid(
        &rejected(
            &[
                ("account_id", "1234"),
                ("since", "2026-05-01"),
                ("date_start", "2026-05-01"),
            ],
            Some("tok"),
        )
        .await,
    );
}

#[tokio::test]
async fn an_unknown_body_field_is_rejected() {
    let deps = offline_deps();
    assert_invalid(
        &post(
            &deps,
            r#"{"account_id":"1234","level":"campaign"}"#,
            Some("tok"),
        )
        .await,
    );
    assert_eq!(deps.client.graph_calls(), 0);
}

#[tokio::test]
async fn malformed_json_is_rejected() {
    let deps = offline_deps();
    assert_invalid(&post(&deps, r#"{"account_id":"1234""#, Some("tok")).await);
    assert_invalid(&post(&deps, r#"["1234"]"#, Some("tok")).await);
    assert_invalid(&post(&deps, r#"{"account_id":{"id":1}}"#, Some("tok")).await);
}

#[tokio::test]
async fn a_one_megabyte_body_is_rejected() {
    let deps = offline_deps();
    let huge = format!(r#"{{"account_id":"1234","pad":"{}"}}"#, "x".repeat(1 << 20));
    let answer = post(&deps, &huge, Some("tok")).await;
    assert_invalid(&answer);
    assert!(answer.body.len() < 1024);
}

#[tokio::test]
async fn tokens_in_header_and_query_that_disagree_are_rejected_without_echoing_either() {
    let answer = rejected(
        &[("account_id", "1234"), ("access_token", "query-secret-1")],
        Some("header-secret-2"),
    )
    .await;
    assert_invalid(&answer);
    assert!(
        !answer.body.contains("secret-1") && !answer.body.contains("secret-2"),
        "{}",
        answer.body
    );
}

#[tokio::test]
async fn an_authorization_header_that_is_not_bearer_is_rejected() {
    let deps = offline_deps();
    let query = vec![("account_id".to_owned(), "1234".to_owned())];
    let input = get_facebook_data::HttpInput {
        method: "GET",
        query: &query,
        authorization: Some("Basic dXNlcjpwdw=="),
        body: b"",
    };
    let out = get_facebook_data::handle(&deps, input).await;
    assert_eq!(out.status, 400);
}

#[tokio::test]
async fn a_method_other_than_get_or_post_is_rejected() {
    let deps = offline_deps();
    let answer = call(&deps, "DELETE", &[("account_id", "1234")], Some("tok"), b"").await;
    assert_invalid(&answer);
}

#[tokio::test]
async fn an_unknown_conversion_event_shape_is_rejected() {
    assert_invalid(
        &rejected(
            &[
                ("account_id", "1234"),
                ("conversion_event", "Purchase; DROP"),
            ],
            Some("tok"),
        )
        .await,
    );
}

/// A 400 `invalid_request` whose message names `field` and holds none of `secrets`.
fn assert_repeated(answer: &Answer, field: &str, secrets: &[&str]) {
    assert_invalid(answer);
    let message = answer.json["error"]["message"].as_str().unwrap();
    assert!(message.contains(field), "{message:?} must name {field}");
    for secret in secrets {
        assert!(
            !answer.body.contains(secret),
            "{} echoes a token",
            answer.body
        );
    }
}

async fn posted(query: &[(&str, &str)], body: &str) -> Answer {
    let deps = offline_deps();
    let answer = call(&deps, "POST", query, Some("tok"), body.as_bytes()).await;
    assert_eq!(
        deps.client.graph_calls(),
        0,
        "a Graph call was made for {body}"
    );
    answer
}

#[tokio::test]
async fn a_json_body_repeating_account_id_is_rejected_naming_the_field() {
    let answer = posted(&[], r#"{"account_id":"act_999","account_id":"act_1"}"#).await;
    assert_repeated(&answer, "account_id", &[]);
}

#[tokio::test]
async fn a_json_body_repeating_access_token_is_rejected_without_echoing_either_token() {
    let answer = posted(
        &[],
        r#"{"account_id":"1234","access_token":"secret-1","access_token":"secret-2"}"#,
    )
    .await;
    assert_repeated(&answer, "access_token", &["secret-1", "secret-2"]);
}

#[tokio::test]
async fn a_json_key_repeated_through_an_escape_is_still_a_repeat() {
    let answer = posted(&[], r#"{"account_id":"1","account\u005fid":"2"}"#).await;
    assert_repeated(&answer, "account_id", &[]);
}

#[tokio::test]
async fn a_json_key_given_as_null_and_again_as_a_value_is_a_repeat() {
    let answer = posted(
        &[],
        r#"{"account_id":"1234","since":null,"since":"2026-05-01"}"#,
    )
    .await;
    assert_repeated(&answer, "since", &[]);
}

#[tokio::test]
async fn a_repeated_key_nested_anywhere_in_the_body_is_rejected_naming_its_path() {
    let answer = posted(&[], r#"{"account_id":{"id":1,"id":2}}"#).await;
    assert_repeated(&answer, "account_id.id", &[]);
    let answer = posted(&[], r#"{"account_id":"1234","x":[{"a":1},{"b":1,"b":2}]}"#).await;
    assert_repeated(&answer, "x[].b", &[]);
}

#[tokio::test]
async fn a_field_and_its_alias_in_one_body_are_rejected() {
    let answer = posted(
        &[],
        r#"{"account_id":"1234","since":"2026-05-01","date_start":"2026-05-01"}"#,
    )
    .await;
    assert_repeated(&answer, "since", &[]);
}

#[tokio::test]
async fn a_field_in_both_the_query_and_the_body_is_rejected() {
    let answer = posted(&[("account_id", "1234")], r#"{"account_id":"1234"}"#).await;
    assert_repeated(&answer, "account_id", &[]);
    let answer = posted(
        &[("since", "2026-05-01")],
        r#"{"account_id":"1234","since":null}"#,
    )
    .await;
    assert_repeated(&answer, "since", &[]);
}

#[tokio::test]
async fn a_repeated_query_parameter_is_rejected_naming_it() {
    let answer = rejected(&[("account_id", "1"), ("account_id", "2")], Some("tok")).await;
    assert_repeated(&answer, "account_id", &[]);
}

#[tokio::test]
async fn a_repeated_access_token_parameter_is_rejected_without_echoing_either_token() {
    let answer = rejected(
        &[
            ("account_id", "1234"),
            ("access_token", "secret-1"),
            ("access_token", "secret-2"),
        ],
        None,
    )
    .await;
    assert_repeated(&answer, "access_token", &["secret-1", "secret-2"]);
}

#[tokio::test]
async fn a_sigv4_authorization_header_leaves_the_token_to_the_body() {
    // An IAM-protected function URL hands the function AWS's signature in `Authorization`;
    // Lambda has checked it. The token then comes from `access_token` (in the body).
    let sigv4 = "AWS4-HMAC-SHA256 Credential=AKID/20260101/eu-west-1/lambda/aws4_request, \
                 SignedHeaders=host;x-amz-date, Signature=abc";
    let deps = offline_deps();
    let signed = |body: &'static [u8]| {
        let deps = deps.clone();
        async move {
            let input = get_facebook_data::HttpInput {
                method: "POST",
                query: &[],
                authorization: Some(sigv4),
                body,
            };
            get_facebook_data::handle(&deps, input).await
        }
    };
    let without_token = signed(br#"{"account_id":"1234"}"#).await;
    assert_eq!(without_token.status, 401, "{}", without_token.body);
    let body =
        br#"{"account_id":"1234","since":"2030-01-01","until":"2030-01-02","access_token":"tok"}"#;
    let unsigned = call(&deps, "POST", &[], None, body).await;
    let with_token = signed(body).await;
    assert_eq!(with_token.status, unsigned.status);
    assert_eq!(
        with_token.body, unsigned.body,
        "read as the unsigned request"
    );
    assert_eq!(deps.client.graph_calls(), 0);
}
