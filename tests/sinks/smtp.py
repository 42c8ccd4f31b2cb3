#!/usr/bin/env python3
"""A local SMTP sink for tests and the demo, on aiosmtpd (see requirements.txt).

Usage:
  smtp.py --port P --dir DIR [--host 127.0.0.1] [--refuse ADDRESS ...] [--starttls CERT KEY]
          [--auth USER PASSWORD]

Every accepted message is appended as one JSON line to DIR/mail.jsonl:
  {"to": [...], "from": "...", "envelope_from": "...", "subject": "...", "text": "...",
   "html": "..." | null, "message_id": "...", "tls": true|false, "auth": "USER" | null,
   "eml": "NAME.eml", "at": "2026-11-05T10:00:00.123456+00:00"}
with the headers and parts decoded (UTF-8, line ends as LF; "from" is the From header,
"envelope_from" the MAIL FROM address, "to" the accepted RCPT TO addresses, "tls" whether
STARTTLS was in force, "auth" the user that authenticated), and written raw to DIR/NAME.eml.
The line is on disk before the sink answers 250, so a client that has its 250 can read it.

--port 0 picks a free port. Once listening, the sink prints one line "READY <port>" on stdout.
--refuse answers "550 5.1.1" to RCPT TO for these addresses (case-insensitive).
--starttls offers STARTTLS with this certificate and key (PEM); plain text stays allowed.
--auth offers AUTH PLAIN/LOGIN (after STARTTLS only) and accepts only this user and password.
SIGTERM or SIGINT stops it.
"""

import argparse
import asyncio
import datetime
import email
import email.policy
import json
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


# aiosmtpd 1.4 sets its own deprecated Session.login_data on every successful AUTH.
warnings.filterwarnings("ignore", message="Session.login_data is deprecated")


class Sink:
    def __init__(self, directory, refuse):
        self.directory = directory
        self.refuse = {a.lower() for a in refuse}
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable (refused by the test sink)"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        at = datetime.datetime.now(datetime.timezone.utc)
        self.count += 1
        name = f"{at.strftime('%Y%m%dT%H%M%S%f')}-{self.count:04d}.eml"
        with open(os.path.join(self.directory, name), "wb") as f:
            f.write(raw)
        plain = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record = {
            "to": list(envelope.rcpt_tos),
            "from": str(message.get("From", "")),
            "envelope_from": envelope.mail_from,
            "subject": str(message.get("Subject", "")),
            "text": decoded(plain),
            "html": decoded(html),
            "message_id": str(message.get("Message-ID", "")).strip(),
            "tls": session.ssl is not None,
            "auth": session.auth_data.decode() if isinstance(session.auth_data, bytes)
            else session.auth_data,
            "eml": name,
            "at": at.isoformat(),
        }
        with open(os.path.join(self.directory, "mail.jsonl"), "a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            f.flush()
            os.fsync(f.fileno())
        return "250 2.0.0 Message accepted for delivery"


def decoded(part):
    """A text part's content as written: transfer encoding and charset undone, CRLF as LF."""
    if part is None:
        return None
    return part.get_content().replace("\r\n", "\n")


def authenticator_for(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login.decode() == user and auth_data.password.decode() == password)
        # auth_data is what session.auth_data becomes: the user name, not the password.
        return AuthResult(success=ok, handled=False, auth_data=user if ok else None)
    return authenticate


async def main():
    parser = argparse.ArgumentParser(description="Local SMTP sink for tests and the demo.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--refuse", nargs="+", action="extend", default=[], metavar="ADDRESS")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD"))
    args = parser.parse_args()

    os.makedirs(args.dir, exist_ok=True)
    handler = Sink(args.dir, args.refuse)
    tls_context = None
    if args.starttls:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(*args.starttls)
    options = dict(
        hostname="sink.localhost",  # no getfqdn(): it may wait for DNS
        tls_context=tls_context,
        enable_SMTPUTF8=True,
        decode_data=False,
    )
    if args.auth:
        options.update(authenticator=authenticator_for(*args.auth), auth_required=True)

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, **options), args.host, args.port)
    port = server.sockets[0].getsockname()[1]
    print(f"READY {port}", flush=True)

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
