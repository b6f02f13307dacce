"""Meta's own Python SDK (facebook_business) reads paged daily insights from the sandbox.

Usage: read_insights.py BASE_URL   (e.g. http://127.0.0.1:41234)

Points FacebookSession.GRAPH at the sandbox, reads /act_X/insights across several pages with the
SDK's cursor (appsecret_proof included, as the SDK sends it), then fetches the same rows in one
raw request via urllib and asserts the SDK saw exactly those rows. Exits non-zero on any failure.
"""

import datetime
import hashlib
import hmac
import json
import sys
import urllib.parse
import urllib.request

from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.api import FacebookAdsApi
from facebook_business.session import FacebookSession

APP_ID = "sandbox-app"
APP_SECRET = "sandbox-secret"
ACCOUNT = "act_1234567890"
FIELDS = ["spend", "impressions", "inline_link_clicks", "actions", "action_values"]
PAGE = 10


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def main():
    base = sys.argv[1].rstrip("/")
    with urllib.request.urlopen(
        urllib.request.Request(f"{base}/__sandbox/token?user=alice", method="POST"), timeout=10
    ) as resp:
        token = json.load(resp)["access_token"]

    today = datetime.date.today()
    time_range = {
        "since": str(today - datetime.timedelta(days=90)),
        "until": str(today - datetime.timedelta(days=1)),
    }

    FacebookSession.GRAPH = base
    api = FacebookAdsApi.init(
        app_id=APP_ID, app_secret=APP_SECRET, access_token=token, api_version="v25.0"
    )
    calls = []
    original_call = api.call

    def counting_call(method, path, *args, **kwargs):
        calls.append((method, path))
        return original_call(method, path, *args, **kwargs)

    api.call = counting_call

    params = {
        "level": "account",
        "time_increment": 1,
        "time_range": time_range,
        "limit": PAGE,
    }
    cursor = AdAccount(ACCOUNT, api=api).get_insights(fields=FIELDS, params=params)
    sdk_rows = [row.export_all_data() for row in cursor]

    # Independent: one raw request for everything, straight from the JSON.
    proof = hmac.new(APP_SECRET.encode(), token.encode(), hashlib.sha256).hexdigest()
    query = urllib.parse.urlencode(
        {
            "access_token": token,
            "appsecret_proof": proof,
            "fields": ",".join(FIELDS),
            "level": "account",
            "time_increment": "1",
            "time_range": json.dumps(time_range),
            "limit": "5000",
        }
    )
    with urllib.request.urlopen(f"{base}/v25.0/{ACCOUNT}/insights?{query}", timeout=10) as resp:
        raw = json.load(resp)
    raw_rows = raw["data"]
    check("next" not in raw.get("paging", {}), "the raw request should fit in one page")

    pages = sum(1 for method, path in calls if method == "GET")
    check(len(raw_rows) > 3 * PAGE, f"expected many rows, got {len(raw_rows)}")
    check(len(raw_rows) < 90, "days without delivery must be omitted")
    check(len(sdk_rows) == len(raw_rows), f"SDK read {len(sdk_rows)} rows, raw JSON has {len(raw_rows)}")
    expected_pages = -(-len(raw_rows) // PAGE)
    check(pages >= expected_pages, f"SDK made {pages} page requests, expected >= {expected_pages}")
    for sdk, rawrow in zip(sdk_rows, raw_rows):
        check(sdk == rawrow, f"row differs:\n  sdk {sdk}\n  raw {rawrow}")
        check(isinstance(rawrow["spend"], str), "spend must be a JSON string")
        check(rawrow["date_start"] == rawrow["date_stop"], "daily rows")
    check(sdk_rows[0]["date_start"] >= time_range["since"], "first row inside the range")
    with_purchase = [r for r in raw_rows if any(a["action_type"] == "omni_purchase" for a in r.get("actions", []))]
    check(with_purchase, "some days have purchases")
    for r in with_purchase:
        by_type = {a["action_type"]: a["value"] for a in r["actions"]}
        check(by_type["purchase"] == by_type["omni_purchase"] == by_type["offsite_conversion.fb_pixel_purchase"],
              "overlapping purchase types carry equal values")
    total_spend = sum(float(r["spend"]) for r in sdk_rows)
    print(f"OK: facebook_business read {len(sdk_rows)} rows in {pages} pages; spend {total_spend:.2f}")


if __name__ == "__main__":
    main()
