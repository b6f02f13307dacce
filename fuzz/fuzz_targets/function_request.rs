//! Fuzz target: the function's request parsing (query string + JSON body + Authorization header).
//!
//! Properties: an accepted request holds an account id of digits only, an ordered range and a
//! usable token; written back out canonically (as a query, and as a JSON body) it parses to the
//! same request and the same Graph query; a rejected one is a 400/401 whose message holds no token.
#![no_main]

use adboard_domain::ads::DateRange;
use adboard_facebook::InsightsQuery;
use adboard_fuzz::RequestInput;
use chrono::NaiveDate;
use get_facebook_data::{FetchRequest, HttpInput, error_output, resolve_range};
use libfuzzer_sys::fuzz_target;
use secrecy::ExposeSecret;

fuzz_target!(|input: RequestInput| {
    let http = HttpInput {
        method: &input.method,
        query: &input.query,
        authorization: input.authorization.as_deref(),
        body: &input.body,
    };
    match FetchRequest::parse(&http) {
        Ok(req) => check_accepted(&req),
        Err(err) => check_rejected(&input, &err),
    }
});

fn check_accepted(req: &FetchRequest) {
    let digits = req.account.as_str();
    assert!(!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    if let (Some(since), Some(until)) = (req.since, req.until) {
        assert!(since <= until, "accepted {since} after {until}");
    }
    let token = req.token.expose_secret();
    assert!(!token.is_empty() && token.bytes().all(|b| b.is_ascii_graphic()));

    // Written back out as a GET query and as a POST body, the request parses the same.
    let mut query = vec![("account_id".to_owned(), req.account.graph_node())];
    let mut body = serde_json::Map::new();
    body.insert("account_id".into(), req.account.graph_node().into());
    for (key, date) in [("since", req.since), ("until", req.until)] {
        if let Some(date) = date {
            query.push((key.to_owned(), date.to_string()));
            body.insert(key.into(), date.to_string().into());
        }
    }
    query.push(("conversion_event".into(), req.conversion_event.to_string()));
    body.insert(
        "conversion_event".into(),
        req.conversion_event.to_string().into(),
    );
    let authorization = format!("Bearer {token}");
    let body = serde_json::Value::Object(body).to_string();
    for (method, query, body) in [
        ("GET", query.as_slice(), &b""[..]),
        ("POST", &[][..], body.as_bytes()),
    ] {
        let again = FetchRequest::parse(&HttpInput {
            method,
            query,
            authorization: Some(&authorization),
            body,
        })
        .unwrap_or_else(|e| panic!("the canonical {method} form of an accepted request: {e}"));
        assert_eq!(again.account, req.account);
        assert_eq!((again.since, again.until), (req.since, req.until));
        assert_eq!(again.conversion_event, req.conversion_event);
        assert_eq!(again.token.expose_secret(), token);
        // …and asks Graph for the same thing, whatever day it is.
        for today in [
            NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            req.until.unwrap_or(NaiveDate::MIN),
        ] {
            let graph = |r: &FetchRequest| {
                resolve_range(r, today)
                    .ok()
                    .map(|range| InsightsQuery::new(r.account.clone(), range).params())
            };
            assert_eq!(graph(req), graph(&again));
            if let Ok(range) = resolve_range(req, today) {
                assert!(range.until() <= today);
                assert!(range.since() >= DateRange::earliest_since(today));
            }
        }
    }
}

fn check_rejected(input: &RequestInput, err: &get_facebook_data::FnError) {
    let out = error_output(err);
    assert!(matches!(out.status, 400 | 401), "{} for {err}", out.status);
    let envelope: serde_json::Value = serde_json::from_str(&out.body).unwrap();
    let message = envelope["error"]["message"].as_str().unwrap();
    assert!(!message.is_empty());
    // The token is never echoed. A field NAME may be echoed (bounded), so a "token" that also
    // appears as a query key or inside the body cannot be told apart from one: skip those, and
    // tokens that could be words of our own messages (real tokens mix digits and capitals).
    let header_token = input
        .authorization
        .as_deref()
        .and_then(|h| h.trim().split_once(' '))
        .map(|(_, t)| t.trim());
    let query_tokens = input
        .query
        .iter()
        .filter(|(k, _)| k == "access_token")
        .map(|(_, v)| v.trim());
    // Names are echoed with their invisible characters dropped: compare with them dropped too.
    let visible = |s: &str| -> String { s.chars().filter(char::is_ascii_graphic).collect() };
    let body = visible(&String::from_utf8_lossy(&input.body));
    for token in header_token.into_iter().chain(query_tokens) {
        let echoed_as_a_name =
            input.query.iter().any(|(k, _)| visible(k).contains(token)) || body.contains(token);
        let token_like = token.len() >= 8
            && token.bytes().all(|b| b.is_ascii_graphic())
            && token.bytes().any(|b| b.is_ascii_digit())
            && token.bytes().any(|b| b.is_ascii_uppercase());
        if token_like && !echoed_as_a_name {
            assert!(!out.body.contains(token), "token echoed in {}", out.body);
        }
    }
}
