"""moto's DynamoDB-compatible server, answering one request at a time per table.

DynamoDB runs each request atomically and serialises transactions that touch the same item, so two
racing TransactWriteItems with conditions on one item can never both succeed. moto 5 does not:
its server runs requests on threads, and `transact_write_items` takes a deep copy of every table it
touches and, when one condition fails, puts that copy back, undoing whatever other requests wrote
meanwhile (seen here: 10 concurrent accepts of one invitation made 2 "successful" accepts in 1 of
40 runs). Serving the requests that name a table one at a time gives the tests the per-request
isolation the real service has, so races are tested against DynamoDB's semantics rather than
against moto's thread interleavings.

The lock is per table, not global: that deep copy makes a transaction on a table of a few hundred
items take a second or more, and the test suites give every test its own table, so a global lock
would make unrelated tests wait on it (and run into their 3 s request timeouts). Requests naming
no table (ListTables, moto's own API) take no lock.

That deep copy also made a single transaction on a table of ~600 items take 0.5-1.7 s here, past
the app's 1.5 s read timeout on a busy machine. Under the table lock nothing else writes the table
during a transaction, so a transaction here snapshots only the items it names and, if moto cancels
it, puts exactly those back: the same all-or-nothing answer, at the cost of the items touched.

Usage: moto-server.py -H 127.0.0.1 -p PORT   (the same arguments as `moto_server`)
"""

import copy
import io
import json
import threading
from contextlib import ExitStack

import moto
from moto import server
from moto.dynamodb import models as dynamodb_models
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

# The transaction patch below leans on moto 5's internals (checked by the store suite's
# "fails and leaves nothing behind" cases); scripts/test.sh pins the version.
assert moto.__version__.startswith("5."), moto.__version__

_table_locks: dict[str, threading.Lock] = {}
_table_locks_guard = threading.Lock()
_dispatch = server.DomainDispatcherApplication.__call__


def _lock_of(table: str) -> threading.Lock:
    with _table_locks_guard:
        return _table_locks.setdefault(table, threading.Lock())


def _tables_named(environ) -> list[str]:
    """The tables a DynamoDB request names; the body is read and put back for moto."""
    length = environ.get("CONTENT_LENGTH")
    stream = environ["wsgi.input"]
    if length:
        body = stream.read(int(length))
    elif environ.get("wsgi.input_terminated"):
        body = stream.read()
    else:
        body = b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
        return []
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return []
    if not isinstance(request, dict):
        return []
    names = set()
    if isinstance(request.get("TableName"), str):
        names.add(request["TableName"])
    names.update(k for k in request.get("RequestItems") or {} if isinstance(k, str))
    for item in request.get("TransactItems") or []:
        for op in item.values() if isinstance(item, dict) else []:
            if isinstance(op, dict) and isinstance(op.get("TableName"), str):
                names.add(op["TableName"])
    return sorted(names)  # one order for everyone: no deadlock between multi-table requests


def _serialised(self, environ, start_response):
    with ExitStack() as held:
        for table in _tables_named(environ):
            held.enter_context(_lock_of(table))
        body = _dispatch(self, environ, start_response)
        try:
            # Build the whole body inside the locks: a lazy body would run outside them.
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()


server.DomainDispatcherApplication.__call__ = _serialised


class _NoTableCopies:
    """`copy` for moto's DynamoDB models module: a table is not copied (see the docstring)."""

    @staticmethod
    def deepcopy(value, memo=None):
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _touched(backend, transact_items):
    """(table, hash key, range key, deep copy of the item or None) for each item named."""
    touched = []
    for entry in transact_items:
        for op in entry.values():
            table = backend.tables.get(op.get("TableName"))
            if table is None:
                continue
            attrs = op.get("Item") or op.get("Key") or {}
            try:
                hash_key = DynamoType(attrs[table.hash_key_attr])
                range_key = None
                if table.range_key_attr is not None:
                    range_key = DynamoType(attrs[table.range_key_attr])
                before = table.get_item(hash_key, range_key)
            except Exception:  # a malformed request: moto itself answers it, touching nothing
                continue
            touched.append((table, hash_key, range_key, copy.deepcopy(before)))
    return touched


def _restore(touched):
    for table, hash_key, range_key, before in reversed(touched):
        if range_key is None:
            if before is None:
                table.items.pop(hash_key, None)
            else:
                table.items[hash_key] = before
        elif before is None:
            table.items[hash_key].pop(range_key, None)
        else:
            table.items[hash_key][range_key] = before


_transact_write_items = dynamodb_models.DynamoDBBackend.transact_write_items


def _transact_touching_only_its_items(self, transact_items):
    touched = _touched(self, transact_items)
    try:
        return _transact_write_items(self, transact_items)
    except BaseException:
        _restore(touched)
        raise


dynamodb_models.copy = _NoTableCopies
dynamodb_models.DynamoDBBackend.transact_write_items = _transact_touching_only_its_items

if __name__ == "__main__":
    server.main()
