//! infra/template.yaml against the binaries: every environment variable the template sets on a
//! function is one that function's code reads (recorded by running its settings loader over the
//! template's own values), the production essentials are set, and the timeouts nest: the
//! function's covers its async-report budget, the web's call outlasts the function, the web's
//! Lambda outlasts its call.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use adboard_web::settings::Settings;

use crate::helpers::{SESSION_KEY_HEX, TOKEN_KEY_B64};

const TEMPLATE: &str = include_str!("../../../infra/template.yaml");

/// Set by the template for the platform, read by no code of ours.
const PLATFORM: [&str; 2] = [
    "AWS_LAMBDA_EXEC_WRAPPER", // the Lambda Web Adapter's wrapper script
    "AWS_LWA_PORT",            // the port the adapter forwards to
];
/// Read by tracing-subscriber's `EnvFilter::try_from_default_env` in both binaries.
const LOGGING: &str = "RUST_LOG";

/// A resource's `Timeout:` and `Environment.Variables` (name → raw value).
struct Function {
    timeout_secs: Option<u64>,
    variables: BTreeMap<String, String>,
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Reads the resource `name` (two-space indent under `Resources:`) line by line.
fn function(name: &str) -> Function {
    let mut lines = TEMPLATE
        .lines()
        .skip_while(|l| *l != format!("  {name}:"))
        .skip(1)
        .take_while(|l| l.trim().is_empty() || indent(l) > 2);
    let mut f = Function {
        timeout_secs: None,
        variables: BTreeMap::new(),
    };
    let mut vars_indent = None;
    for line in lines.by_ref() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let Some(at) = vars_indent {
            if indent(line) > at {
                let (k, v) = t.split_once(':').expect("KEY: value");
                f.variables.insert(k.trim().to_owned(), v.trim().to_owned());
                continue;
            }
            vars_indent = None;
        }
        if t == "Variables:" {
            vars_indent = Some(indent(line));
        } else if let Some(v) = t.strip_prefix("Timeout:") {
            f.timeout_secs = Some(v.trim().parse().expect("a Timeout in seconds"));
        }
    }
    assert!(
        !f.variables.is_empty(),
        "{name} has environment variables in the template"
    );
    f
}

/// The value the template gives, or for a deploy-time reference (`!Ref`, `{{resolve:…}}`) a
/// well-formed stand-in, so the settings loader validates the rest.
fn value(name: &str, raw: &str) -> String {
    let literal = !raw.starts_with('!') && !raw.contains("{{resolve");
    if literal {
        return raw.trim_matches('"').to_owned();
    }
    match name {
        "SESSION_KEY" => SESSION_KEY_HEX.to_owned(),
        "TOKEN_ENCRYPTION_KEY" => TOKEN_KEY_B64.to_owned(),
        "STORE_URL" => "dynamodb://adboard-prod".to_owned(),
        n if n.ends_with("_URL") => "https://example.test/".to_owned(),
        _ => "stand-in".to_owned(),
    }
}

/// Runs `load` over the template's variables; returns every name it read.
fn names_read(
    vars: &BTreeMap<String, String>,
    load: impl FnOnce(&dyn Fn(&str) -> Option<String>),
) -> BTreeSet<String> {
    let read = RefCell::new(BTreeSet::new());
    let lookup = |key: &str| {
        read.borrow_mut().insert(key.to_owned());
        vars.get(key).map(|raw| value(key, raw))
    };
    load(&lookup);
    read.into_inner()
}

fn unread(f: &Function, read: &BTreeSet<String>) -> Vec<String> {
    f.variables
        .keys()
        .filter(|k| !read.contains(*k) && !PLATFORM.contains(&k.as_str()) && *k != LOGGING)
        .cloned()
        .collect()
}

fn millis(f: &Function, name: &str, default: u64) -> u64 {
    f.variables
        .get(name)
        .map_or(default, |v| value(name, v).parse().expect("a number"))
}

#[test]
fn every_variable_the_template_sets_on_the_web_app_is_read_by_it() {
    let web = function("WebFunction");
    let read = names_read(&web.variables, |lookup| {
        let settings =
            Settings::from_lookup(lookup).expect("the template's values are valid settings");
        assert!(!settings.sandbox_mode(), "production is not sandbox mode");
        assert!(
            settings.function.url.is_some(),
            "the web calls the deployed function"
        );
    });
    assert_eq!(
        unread(&web, &read),
        Vec::<String>::new(),
        "set by the template, read by nobody"
    );
    for essential in [
        "STORE_URL",
        "SESSION_KEY",
        "TOKEN_ENCRYPTION_KEY",
        "PUBLIC_URL",
        "FACEBOOK_APP_ID",
        "FACEBOOK_APP_SECRET",
        "FUNCTION_URL",
        "FUNCTION_AUTH",
    ] {
        assert!(
            web.variables.contains_key(essential),
            "the template must set {essential}"
        );
        assert!(
            read.contains(essential),
            "the web app must read {essential}"
        );
    }
    assert_eq!(
        web.variables["FUNCTION_AUTH"], "iam",
        "the function URL has AuthType AWS_IAM"
    );
}

#[test]
fn every_variable_the_template_sets_on_the_function_is_read_by_it() {
    let f = function("GetFacebookDataFunction");
    let read = names_read(&f.variables, |lookup| {
        adboard_facebook::Settings::from_lookup(lookup).expect("the template's values are valid");
    });
    assert_eq!(
        unread(&f, &read),
        Vec::<String>::new(),
        "set by the template, read by nobody"
    );
}

#[test]
fn the_timeouts_nest_function_budget_then_web_call_then_web_lambda() {
    let f = function("GetFacebookDataFunction");
    let web = function("WebFunction");
    let defaults = adboard_facebook::Settings::new("https://graph.facebook.com").unwrap();
    let budget = millis(
        &f,
        "FACEBOOK_REPORT_TIMEOUT_MS",
        defaults.report_timeout.as_millis() as u64,
    ) + millis(
        &f,
        "FACEBOOK_RETRY_BUDGET_MS",
        defaults.retry_budget.as_millis() as u64,
    );
    let fn_timeout = f.timeout_secs.expect("the function sets its own Timeout") * 1000;
    assert!(
        fn_timeout >= budget,
        "function Timeout {fn_timeout} ms < its report budget {budget} ms"
    );
    let call = millis(&web, "FUNCTION_TIMEOUT_MS", 160_000);
    assert!(
        call > fn_timeout,
        "the web gives up ({call} ms) before the function ({fn_timeout} ms)"
    );
    let web_timeout = web.timeout_secs.expect("the web sets its own Timeout") * 1000;
    assert!(
        web_timeout > call,
        "the web's Lambda ({web_timeout} ms) ends before its call ({call} ms)"
    );
}
