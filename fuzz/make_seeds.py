#!/usr/bin/env python3
"""Writes seed inputs (OUT/<target>/, default fuzz/target/seeds-generated) from the project's own
fixtures and test inputs.

Sources: the Graph sample under /work/shared/fixtures (if present) and the rows, envelopes and
headers of adboard-facebook's tests; the function's example events (events/*.json) and its
bad-input tests; the domain crate's accepted/rejected lists; web's open-redirect tricks. The
checked-in corpus (fuzz/seeds/) is this output merged with the inputs already there (e.g. what a
run found) and minimised by libFuzzer's -merge: `scripts/fuzz.sh --minimise`.
"""

import hashlib
import json
import os
import pathlib
import shutil
import sys

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent
SEEDS = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else FUZZ / "target" / "seeds-generated"
FIXTURES = pathlib.Path(os.environ.get("ADBOARD_FIXTURES", "/work/shared/fixtures"))


def write(target, inputs):
    folder = SEEDS / target
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for data in inputs:
        data = data.encode() if isinstance(data, str) else data
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def request(method, query="", auth="Bearer EAABsbCS1iHgBAKZC9ZA7token", body=""):
    head = f"{method} {query}".rstrip()
    if auth is not None:
        head += f"\nAuthorization: {auth}"
    return f"{head}\n\n{body}" if body else head


def event_requests():
    out = []
    for path in sorted((ROOT / "functions/get_facebook_data/events").glob("*.json")):
        event = json.loads(path.read_text())
        method = event.get("httpMethod") or event["requestContext"]["http"]["method"]
        query = event.get("rawQueryString")
        if query is None:
            params = event.get("queryStringParameters") or {}
            query = "&".join(f"{k}={v}" for k, v in params.items())
        headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        out.append(request(method, query, headers.get("authorization"), event.get("body") or ""))
    return out


BAD_REQUESTS = [
    request("GET", "account_id=1234", auth=None),
    request("GET", "account_id=1234&access_token=%20%20", auth=None),
    request("GET", ""),
    request("GET", "account_id=%20%20"),
    request("GET", "account_id=acme"),
    request("GET", "account_id=act_12%2F..%2Fme"),
    request("GET", "account_id=12%3Fx%3D1"),
    request("GET", "account_id=1234567890123456789012345"),
    request("GET", "account_id=1234&since=2026-02-30&until=2026-03-02"),
    request("GET", "account_id=1234&since=2026-05-02&until=2026-05-01"),
    request("GET", "account_id=1234&fields=spend"),
    request("GET", "account_id=1234&account_id=5678"),
    request("GET", "account_id=1234&since=2026-05-01&date_start=2026-05-01"),
    request("GET", "account_id=1234&access_token=secret-1", auth="Bearer secret-2"),
    request("GET", "account_id=1234", auth="Basic dXNlcjpwdw=="),
    request("DELETE", "account_id=1234"),
    request("GET", "account_id=1234&conversion_event=Purchase%3B%20DROP"),
    request("POST", body='{"account_id":"1234","level":"campaign"}'),
    request("POST", body='{"account_id":"1234"'),
    request("POST", body='["1234"]'),
    request("POST", body='{"account_id":{"id":1}}'),
    request("POST", body='{"account_id":"act_999","account_id":"act_1"}'),
    request("POST", body='{"account_id":"1","account\\u005fid":"2"}'),
    request("POST", body='{"account_id":"1234","since":null,"since":"2026-05-01"}'),
    request("POST", body='{"account_id":"1234","x":[{"a":1},{"b":1,"b":2}]}'),
    request("POST", "account_id=1234", body='{"account_id":"1234"}'),
    request("POST", body='{"account_id":1234,"conversion_event":"lead","date_end":"2026-05-30"}'),
    request("GET", "account_id=act_1&since=2026-05-01&until=2026-05-31&conversion_event=offsite_conversion.custom.123"),
]


def insights_pages():
    pages = []
    for path in sorted(FIXTURES.glob("*.json")) if FIXTURES.is_dir() else []:
        pages.append(path.read_bytes())
    rows = [
        '{"spend":"41.27","impressions":"5120","inline_link_clicks":"88","actions":[{"action_type":"link_click","value":"88"},{"action_type":"omni_purchase","value":"3"}],"action_values":[{"action_type":"omni_purchase","value":"120.50"}],"date_start":"2026-05-01","date_stop":"2026-05-01"}',
        '{"spend":"0.52","impressions":"40","inline_link_clicks":"1","date_start":"2026-05-03","date_stop":"2026-05-03"}',
        '{"spend":1.5,"impressions":10,"date_start":"2026-05-04"}',
        '{"spend":"12,5","date_start":"2026-05-03"}',
        '{"date_start":"2026-05-01","date_stop":"2026-05-07"}',
        '{"spend":"1e3","actions":[{"action_type":"purchase","value":"2"}],"date_start":"2026-05-05"}',
    ]
    pages.append('{"data":[%s],"paging":{"cursors":{"before":"MAZDZD","after":"MQZDZD"}}}' % ",".join(rows[:3]))
    pages.extend('{"data":[%s]}' % row for row in rows[3:])
    pages.append('{"data":[],"paging":{"next":"https://graph.facebook.com/v26.0/act_1/insights?after=MQZDZD"}}')
    return pages


ERROR_BODIES = [
    '400\n{"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"A1b2"}}',
    '403\n{"error":{"code":200,"message":"(#200) Requires business_management permission"}}',
    "502\n<html>Bad gateway</html>",
    '400\n{"error":"nope"}',
    '400\n{"error":{"code":190,"message":"Invalid OAuth access token - Cannot parse access token"}}',
    '400\n{"error":{"code":100,"error_subcode":33,"message":"Unsupported get request."}}',
    '400\n{"error":{"code":17,"message":"(#17) User request limit reached","is_transient":true}}',
    '400\n{"error":{"code":80004,"error_subcode":2446079,"message":"too many calls"}}',
    '500\n{"error":{"code":1,"message":"Please reduce the amount of data you\'re asking for, then retry your request"}}',
    '503\n{"error":{"code":2,"message":"(#2) Service temporarily unavailable","is_transient":true}}',
    '400\n{"error":{"code":100,"message":"(#100) Missing permissions"}}',
    '400\n{"error":{"code":3018,"message":"(#3018) The start date of the time range cannot be beyond 37 months"}}',
    '400\n{"error":{"code":"190","error_subcode":"463"}}',
    '400\n{"error":{"code":1,"error_subcode":1504018,"message":"timeout"}}',
]

USAGE_HEADERS = [
    'x-business-use-case-usage: {"123":[{"type":"ads_insights","call_count":97,"total_cputime":23,"total_time":23,"estimated_time_to_regain_access":0}],"456":[{"type":"ads_management","call_count":100,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":2}]}',
    'x-app-usage: {"call_count":28,"total_time":25,"total_cputime":25}\nx-ad-account-usage: {"acc_id_util_pct":100,"reset_time_duration":30,"ads_api_access_tier":"standard_access"}',
    "x-app-usage: {not json\nx-business-use-case-usage: []",
    'x-fb-ads-insights-throttle: {"app_id_util_pct":100,"acc_id_util_pct":10,"ads_api_access_tier":"standard_access"}',
    'x-app-usage: {"call_count":100,"total_time":20,"total_cputime":20}\nx-business-use-case-usage: {"42":[{"type":"ads_insights","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":0}]}',
]

SAFE_NEXT = [
    "/", "/profile", "/teams/42/connectors?tab=facebook&x=1", "/a%20b", "/dashboard?range=7d",
    "/profile#name", "//evil.example", "https://evil.example", "/\\evil.example",
    "%2F%2Fevil.example", "/%2F/evil.example", "/%5Cevil.example", "javascript:alert(1)",
    "/%09/evil.example", "/\t/evil.example", "///evil.example", "//evil.example@adboard",
    "/@evil.example", "/..//evil.example", "/%2e%2e//evil.example", "/%252F%252Fevil.example",
    "/%E3%80%82evil.example", "/\u3002evil.example", "/%00evil", "/%", "/%zz", "?next=//evil.example",
]

write("function_request", event_requests() + BAD_REQUESTS)
write("graph_insights_page", insights_pages())
write("graph_error_body", ERROR_BODIES)
write("usage_headers", USAGE_HEADERS)
write("domain_account_id", ["1234", "act_1234", " act_1234 ", "act_12/../me", "12?x=1", "act_",
                            "act_-1", "+12", "1 2", "ACT_12", "12%2F", "١٢٣", "9" * 20, "1" * 25])
write("domain_dates", ["2026-05-01\n2026-05-07", "2026-02-30", "2026-5-01", "2026/05/01", "01-05-2026",
                       "2026-05-01T00:00", "+2026-05-01", "2026-13-01", "2024-02-29",
                       "2026-05-02\n2026-05-01", "2026-02-27\n2026-03-02", "2023-10-21\n2026-11-20"])
write("domain_conversion_event", ["purchase", "lead", "complete_registration", "add_to_cart",
                                  "initiate_checkout", "offsite_conversion.custom.123", "Purchase",
                                  "pur chase", "a/b", ".purchase", "purchase.", "x" * 101])
write("domain_email", ["  Ann.Lee@Example.COM ", "no-at", "@x.com", "a@", "a@b", "a b@c.com",
                       "a@-b.com", "<a>@b.com", "a@b..com", "alice@example.com"])
write("domain_team_name", ["  Growth  ", "   ", "é" * 100, "a\u0000b", "<script>x</script>",
                           "Urgent: re-verify at evil.example", "a\u202eb", "\u200b"])
write("domain_team_id", ["6f1c2a9e-8d3b-4c7a-9e21-0b5d4f3a2c10", "42",
                         "{6F1C2A9E-8D3B-4C7A-9E21-0B5D4F3A2C10}",
                         "urn:uuid:6f1c2a9e-8d3b-4c7a-9e21-0b5d4f3a2c10", "6f1c2a9e8d3b4c7a9e210b5d4f3a2c10"])
write("domain_user_id", ["0b5d4f3a-2c10-4c7a-9e21-6f1c2a9e8d3b", "not-a-uuid", " 0b5d4f3a-2c10-4c7a-9e21-6f1c2a9e8d3b "])
write("domain_roles", ["OWNER", "ADMIN", "EDIT", "READ", " admin ", "SUPERUSER", "google", "oidc",
                       "facebook", "sandbox", "myspace"])
write("safe_next", SAFE_NEXT)
