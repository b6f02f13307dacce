"""moto's DynamoDB-compatible server, answering one request at a time.

DynamoDB runs each request atomically and serialises transactions that touch the same item, so two
racing TransactWriteItems with conditions on one item can never both succeed. moto 5 does not:
its server runs requests on threads, and `transact_write_items` takes a deep copy of every table it
touches and, when one condition fails, puts that copy back, undoing whatever other requests wrote
meanwhile (seen here: 10 concurrent accepts of one invitation made 2 "successful" accepts in 1 of
40 runs). Serving one request at a time (connections are still accepted concurrently) gives the
tests the per-request isolation the real service has, so races are tested against DynamoDB's
semantics rather than against moto's thread interleavings.

Usage: moto-server.py -H 127.0.0.1 -p PORT   (the same arguments as `moto_server`)
"""

import threading

from moto import server

_ONE_AT_A_TIME = threading.Lock()
_dispatch = server.DomainDispatcherApplication.__call__


def _serialised(self, environ, start_response):
    with _ONE_AT_A_TIME:
        body = _dispatch(self, environ, start_response)
        try:
            # Build the whole body inside the lock: a lazy body would run outside it.
            return [b"".join(body)]
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()


server.DomainDispatcherApplication.__call__ = _serialised

if __name__ == "__main__":
    server.main()
