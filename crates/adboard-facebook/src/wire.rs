//! Facebook's JSON exactly as it arrives: strings where Facebook sends strings, every optional key
//! optional. Nothing here is interpreted; `TryFrom` impls elsewhere turn these into typed rows.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Accepts a JSON string or number (Facebook sends numbers as strings, ids sometimes as numbers)
/// and keeps its text; `null` is absent. Anything else is a decoding error.
pub(crate) fn lenient_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(other) => Err(serde::de::Error::custom(format!(
            "expected a string or number, found {}",
            kind(&other)
        ))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "a boolean",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        _ => "something else",
    }
}

/// One page of any Graph edge: `{"data": [...], "paging": {...}}`.
#[derive(Debug, Deserialize)]
pub struct PageWire<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
    #[serde(default)]
    pub paging: Option<PagingWire>,
}

#[derive(Debug, Deserialize)]
pub struct PagingWire {
    /// Absent on the last page. An empty page may still carry it: keep going.
    #[serde(default)]
    pub next: Option<String>,
}

/// One daily row of `/act_{id}/insights` with `time_increment=1`.
#[derive(Debug, Clone, Deserialize)]
pub struct InsightRowWire {
    pub date_start: String,
    #[serde(default)]
    pub date_stop: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub spend: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub impressions: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub inline_link_clicks: Option<String>,
    /// Absent on days without actions.
    #[serde(default)]
    pub actions: Option<Vec<ActionStatWire>>,
    #[serde(default)]
    pub action_values: Option<Vec<ActionStatWire>>,
}

/// An Ads Action Stats element: `{"action_type": "...", "value": "3", "7d_click": "2", ...}`.
#[derive(Debug, Clone, Deserialize)]
pub struct ActionStatWire {
    pub action_type: String,
    #[serde(default, deserialize_with = "lenient_text")]
    pub value: Option<String>,
}

/// `GET /act_{id}?fields=account_id,name,currency,timezone_name,account_status`.
#[derive(Debug, Clone, Deserialize)]
pub struct AdAccountWire {
    #[serde(default, deserialize_with = "lenient_text")]
    pub account_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub currency: Option<String>,
    #[serde(default)]
    pub timezone_name: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub account_status: Option<String>,
}

/// `POST /act_{id}/insights` → `{"report_run_id": "..."}` (documented as a number, sent as a string).
#[derive(Debug, Deserialize)]
pub struct ReportRunStartWire {
    #[serde(default, deserialize_with = "lenient_text")]
    pub report_run_id: Option<String>,
}

/// `GET /{report_run_id}`. The state is `async_status`; the percentage can say 100 while running.
#[derive(Debug, Deserialize)]
pub struct ReportRunWire {
    #[serde(default)]
    pub async_status: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub error_code: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub error_subcode: Option<String>,
    #[serde(default)]
    pub error_message: Option<String>,
}

/// `GET /debug_token` → `{"data": {...}}`.
#[derive(Debug, Deserialize)]
pub struct DebugTokenWire {
    pub data: DebugTokenDataWire,
}

#[derive(Debug, Deserialize)]
pub struct DebugTokenDataWire {
    #[serde(default, deserialize_with = "lenient_text")]
    pub app_id: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub user_id: Option<String>,
    #[serde(default)]
    pub is_valid: bool,
    #[serde(default)]
    pub expires_at: Option<i64>,
    #[serde(default)]
    pub data_access_expires_at: Option<i64>,
    #[serde(default)]
    pub scopes: Vec<String>,
    #[serde(default)]
    pub error: Option<Value>,
}

/// `GET /me?fields=id,name,email` (email only with the `email` permission).
#[derive(Debug, Deserialize)]
pub struct MeWire {
    #[serde(default, deserialize_with = "lenient_text")]
    pub id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

/// `/oauth/access_token` → `{"access_token": "...", "token_type": "bearer", "expires_in": 5183944}`.
#[derive(Debug, Deserialize)]
pub struct AccessTokenWire {
    pub access_token: secrecy::SecretString,
    #[serde(default)]
    pub token_type: Option<String>,
    #[serde(default, deserialize_with = "lenient_text")]
    pub expires_in: Option<String>,
}
