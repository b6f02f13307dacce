"""Checks scripts/moto-server.py against a running instance (run by scripts/test.sh): a cancelled
transaction leaves every item it named as it was (a put, an update and a delete applied before the
failing condition are undone), items it did not name keep what was written, and racing conditional
transactions on one item let exactly one through and leak nothing of the cancelled ones (plain
moto fails this last check: cancelled transactions' updates survive).

Usage: ADBOARD_TEST_DYNAMODB_ENDPOINT=http://127.0.0.1:PORT moto-server.test.py
"""

import os
import sys
import uuid
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.exceptions import ClientError

ENDPOINT = os.environ["ADBOARD_TEST_DYNAMODB_ENDPOINT"]
client = boto3.client(
    "dynamodb",
    endpoint_url=ENDPOINT,
    region_name="us-east-1",
    aws_access_key_id="dummy",
    aws_secret_access_key="dummy",
)
TABLE = f"moto-server-test-{uuid.uuid4().hex}"


def key(pk):
    return {"pk": {"S": pk}, "sk": {"S": "A"}}


def get(pk):
    return client.get_item(TableName=TABLE, Key=key(pk), ConsistentRead=True).get("Item")


def cancelled(items):
    try:
        client.transact_write_items(TransactItems=items)
    except ClientError as err:
        return err.response["Error"]["Code"] == "TransactionCanceledException"
    return False


def main():
    client.create_table(
        TableName=TABLE,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    failures = []

    def check(ok, what):
        print(("ok - " if ok else "FAILED - ") + what)
        if not ok:
            failures.append(what)

    for pk in ("kept", "updated", "deleted", "bystander"):
        client.put_item(TableName=TABLE, Item={**key(pk), "n": {"N": "1"}})

    # The failing condition comes last: moto applies the three writes before it, then cancels.
    check(
        cancelled(
            [
                {"Put": {"TableName": TABLE, "Item": {**key("new"), "n": {"N": "1"}}}},
                {
                    "Update": {
                        "TableName": TABLE,
                        "Key": key("updated"),
                        "UpdateExpression": "SET n = :two",
                        "ExpressionAttributeValues": {":two": {"N": "2"}},
                    }
                },
                {"Delete": {"TableName": TABLE, "Key": key("deleted")}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": key("kept"),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        ),
        "a transaction with a failing condition is cancelled",
    )
    check(get("new") is None, "its put is undone")
    check(get("updated")["n"] == {"N": "1"}, "its update is undone")
    check(get("deleted") is not None, "its delete is undone")

    # A write to an item the cancelled transaction did not name survives its rollback.
    client.put_item(TableName=TABLE, Item={**key("bystander"), "n": {"N": "7"}})
    check(
        cancelled(
            [
                {"Put": {"TableName": TABLE, "Item": {**key("other"), "n": {"N": "1"}}}},
                {
                    "ConditionCheck": {
                        "TableName": TABLE,
                        "Key": key("kept"),
                        "ConditionExpression": "attribute_not_exists(pk)",
                    }
                },
            ]
        ),
        "a second transaction is cancelled",
    )
    check(get("bystander")["n"] == {"N": "7"}, "an item it did not name keeps its write")

    # Racing conditional transactions on one item, 30 rounds: exactly one succeeds each time, and
    # the cancelled ones undo nothing of the winner's. 400 more items make plain moto's table copy
    # (and so its window for the race) as long as in the web suite's larger tests.
    for i in range(400):
        client.put_item(TableName=TABLE, Item={**key(f"filler-{i}"), "n": {"N": str(i)}})
    def claim(round_, i):
        items = [
            {
                "Put": {
                    "TableName": TABLE,
                    "Item": {**key(f"claimed-{round_}"), "by": {"N": str(i)}},
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {
                "Update": {
                    "TableName": TABLE,
                    "Key": key(f"counter-{round_}"),
                    "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ]
        return not cancelled(items)

    rounds = []
    with ThreadPoolExecutor(max_workers=10) as pool:
        for round_ in range(30):
            wins = sum(pool.map(lambda i: claim(round_, i), range(10)))
            counter = (get(f"counter-{round_}") or {}).get("n")
            rounds.append((wins, counter))
    check(
        all(r == (1, {"N": "1"}) for r in rounds),
        "30 rounds of 10 racing claims of one item: one winner, its counter kept, each time "
        f"(wins, counter) per round: {rounds if any(r != (1, {'N': '1'}) for r in rounds) else 'all (1, 1)'}",
    )

    client.delete_table(TableName=TABLE)
    if failures:
        sys.exit(f"{len(failures)} check(s) failed")


if __name__ == "__main__":
    main()
