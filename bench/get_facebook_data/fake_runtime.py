"""A minimal local AWS Lambda Runtime API on 127.0.0.1, to measure the real `get_facebook_data`
binary: process start to ready (its first GET /invocation/next), and its RSS after N invocations.

usage: fake_runtime.py BINARY GRAPH_URL TOKEN EVENT_JSON N STARTS
Prints one JSON line: {"start_to_ready_ms": [...], "rss_kb_after": ..., "invocations": ..., "errors": ...}
"""
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BINARY, GRAPH_URL, TOKEN, EVENT_FILE, N, STARTS = sys.argv[1:7]
N, STARTS = min(int(N), 5000), min(int(STARTS), 20)
EVENT = open(EVENT_FILE).read().replace("SANDBOX_TOKEN", TOKEN).encode()


class State:
    def __init__(self, limit):
        self.limit = limit
        self.served = 0
        self.ok = 0
        self.errors = 0
        self.first_next = None
        self.done = threading.Event()
        self.lock = threading.Lock()


STATE = State(0)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, code, body=b"", headers=()):
        try:
            self.send_response(code)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the function was killed while waiting for its next event

    def do_GET(self):
        if not self.path.endswith("/invocation/next"):
            return self._send(404)
        st = STATE
        with st.lock:
            if st.first_next is None:
                st.first_next = time.perf_counter()
            if st.served >= st.limit:
                st.done.set()
                wait = True
            else:
                st.served += 1
                rid = f"req-{st.served}"
                wait = False
        if wait:
            st.done.wait()
            time.sleep(5)  # the benchmark kills the function before this returns
            self.close_connection = True
            return self._send(500)
        deadline = str(int(time.time() * 1000) + 30_000)
        self._send(200, EVENT, [
            ("Content-Type", "application/json"),
            ("Lambda-Runtime-Aws-Request-Id", rid),
            ("Lambda-Runtime-Deadline-Ms", deadline),
            ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-central-1:123456789012:function:get_facebook_data"),
            ("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000"),
        ])

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        st = STATE
        with st.lock:
            if self.path.endswith("/response"):
                try:
                    status = json.loads(body)["statusCode"]
                except Exception:
                    status = None
                if status == 200:
                    st.ok += 1
                else:
                    st.errors += 1
            else:
                st.errors += 1
        self._send(202, b"{}", [("Content-Type", "application/json")])


def run_once(server_port, limit):
    global STATE
    STATE = State(limit)
    env = dict(os.environ)
    env.update({
        "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{server_port}",
        "AWS_LAMBDA_FUNCTION_NAME": "get_facebook_data",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "FACEBOOK_GRAPH_URL": GRAPH_URL,
        "FACEBOOK_APP_ID": "sandbox-app",
        "FACEBOOK_APP_SECRET": "sandbox-secret",
        "RUST_LOG": "warn",
    })
    t0 = time.perf_counter()
    proc = subprocess.Popen([BINARY], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        finished = STATE.done.wait(timeout=300)
        ready_ms = (STATE.first_next - t0) * 1000 if STATE.first_next else None
        rss = None
        with open(f"/proc/{proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
        return ready_ms, rss, finished
    finally:
        proc.kill()
        proc.wait()


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    readies = []
    for _ in range(STARTS):
        ready_ms, _, _ = run_once(port, 0)
        readies.append(round(ready_ms, 2))
    _, rss, finished = run_once(port, N)
    print(json.dumps({
        "start_to_ready_ms": readies,
        "rss_kb_after": rss,
        "invocations": STATE.ok + STATE.errors,
        "ok": STATE.ok,
        "errors": STATE.errors,
        "finished": finished,
    }))
    server.shutdown()


main()
