"""A webhook receiver for tests and the demo, verifying every delivery with `standardwebhooks`,
the Standard Webhooks reference library.

    python webhooks.py --port 9300 [--dir DIR]

Receivers live under /hooks/<name>. Each is set up through the control API:

    PUT /_control/receivers/<name>  {"secrets": ["whsec_..."], "fail_first": 2, "status": 200,
                                     "delay_ms": 0}

`fail_first` answers 500 to the first N deliveries of each webhook-id; `status` is the answer
after that. A receiver not set up takes everything (200) without a secret to verify with.
`GET /_control/received/<name>` lists what arrived, in order:
{"webhook_id", "type", "verified", "verified_by" (indexes of the secrets that verify),
"answered", "body"}. `GET /_control/counts` gives, per receiver, how many arrived, how many
verified, how many distinct webhook-ids, and the first and last arrival (cheap to poll). With
--dir, every
delivery is also appended to DIR/webhooks.jsonl.
"""

import argparse
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

lock = threading.Lock()
receivers = {}
received = {}
attempts = {}
log_path = None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, payload=None):
        body = b"" if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length else b""

    def do_PUT(self):
        if not self.path.startswith("/_control/receivers/"):
            return self.reply(404)
        name = self.path.rsplit("/", 1)[1]
        config = json.loads(self.body() or b"{}")
        with lock:
            receivers[name] = {
                "secrets": config.get("secrets", []),
                "fail_first": int(config.get("fail_first", 0)),
                "status": int(config.get("status", 200)),
                "delay_ms": int(config.get("delay_ms", 0)),
            }
            received.setdefault(name, [])
        self.reply(204)

    def do_GET(self):
        if self.path.startswith("/_control/received/"):
            name = self.path.rsplit("/", 1)[1]
            with lock:
                return self.reply(200, list(received.get(name, [])))
        if self.path == "/_control/counts":
            with lock:
                counts = {
                    name: {
                        "received": len(entries),
                        "verified": sum(1 for e in entries if e["verified"]),
                        "distinct_ids": len({e["webhook_id"] for e in entries}),
                        "first_arrived_at": entries[0]["arrived_at"] if entries else None,
                        "last_arrived_at": max((e["arrived_at"] for e in entries), default=None),
                    }
                    for name, entries in received.items()
                }
            return self.reply(200, counts)
        if self.path == "/_control/health":
            return self.reply(200, {"ok": True})
        self.reply(404)

    def do_POST(self):
        if not self.path.startswith("/hooks/"):
            return self.reply(404)
        name = self.path[len("/hooks/"):]
        data = self.body()
        with lock:
            config = receivers.setdefault(
                name, {"secrets": [], "fail_first": 0, "status": 200, "delay_ms": 0})
            received.setdefault(name, [])
        headers = {k.lower(): v for k, v in self.headers.items()}
        verified_by = []
        for index, secret in enumerate(config["secrets"]):
            try:
                Webhook(secret).verify(data, headers)
                verified_by.append(index)
            except WebhookVerificationError:
                pass
        webhook_id = headers.get("webhook-id", "")
        key = (name, webhook_id)
        arrived = time.time()
        with lock:
            attempts[key] = attempts.get(key, 0) + 1
            answered = 500 if attempts[key] <= config["fail_first"] else config["status"]
        if config["delay_ms"]:
            time.sleep(config["delay_ms"] / 1000)
        try:
            event_type = json.loads(data).get("type")
        except ValueError:
            event_type = None
        entry = {
            "webhook_id": webhook_id,
            "type": event_type,
            "verified": bool(verified_by),
            "verified_by": verified_by,
            "signatures": len(headers.get("webhook-signature", "").split()),
            "answered": answered,
            "arrived_at": arrived,
            "answered_at": time.time(),
            "body": data.decode("utf-8", "replace"),
        }
        with lock:
            received[name].append(entry)
            if log_path:
                with open(log_path, "a", encoding="utf-8") as log:
                    log.write(json.dumps({"receiver": name, **entry}, ensure_ascii=False) + "\n")
        self.reply(answered, {"ok": answered < 300})


def main():
    global log_path
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir")
    args = parser.parse_args()
    if args.dir:
        log_path = f"{args.dir}/webhooks.jsonl"
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print(f"webhook receiver on http://{args.host}:{args.port}/hooks/<name>", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
