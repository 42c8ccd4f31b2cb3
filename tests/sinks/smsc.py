#!/usr/bin/env python3
"""A local SMSC (SMPP 3.4 server) for tests and the demo, on the smpp34 codec (PyPI).

smpp34 also ships a ready `Server`, but it accepts every bind without showing the password, so
this simulator runs its own small asyncio session loop and leaves the PDUs to smpp34's codec
(`smpp34.decode`, `SubmitSm`, `DeliverSm.encode`); only the trivial fixed-layout PDUs (bind
bodies, *_resp headers) are packed here.

    python3 smsc.py --port P --dir DIR [--system-id ID --password PW]
                    [--reject-numbers +7999...] [--refuse-numbers +7998...]
                    [--silent-numbers +7997...]
                    [--control-port C] [--receipt-delay 0.5] [--enquire-link SECONDS]

SMPP side: accepts bind_transceiver / bind_transmitter / bind_receiver (with --system-id, the
system_id and password must match: ESME_RINVSYSID 0x0F / ESME_RINVPASWD 0x0E otherwise), answers
enquire_link and unbind (with --enquire-link, sends its own and drops a client that stays silent), and answers each submit_sm with a unique message id. Parts of a
concatenated message (UDH IEI 0x00 or 0x08, or the SAR TLVs) are joined; each whole message is
appended as one JSON line to DIR/sms.jsonl:
    {"to": "+7...", "from": "...", "text": "...", "message_id": <first part's id>,
     "message_ids": [...], "segments": n, "data_coding": dc, "at": "<UTC ISO 8601>"}
After --receipt-delay seconds each part gets a delivery receipt (deliver_sm, esm_class 0x04,
text "id:<id> sub:001 dlvrd:001 submit date:... done date:... stat:DELIVRD err:000 text:...",
plus the receipted_message_id and message_state TLVs), when the submit asked for one.
Numbers in --reject-numbers are accepted and then get an UNDELIV receipt (err:001), like a phone
that cannot be reached; numbers in --refuse-numbers are refused at submit time with
ESME_RINVDSTADR (0x0B) and not recorded; a submit_sm to a number in --silent-numbers is never
answered (for timeout tests). Numbers are comma-separated and the options repeatable. Receipts for a client that is not bound wait (store and
forward) until a client that can receive binds again.

Control side (--control-port, HTTP/1.1 on 127.0.0.1, JSON):
    GET  /health    {"ok": true, "bound": <sessions>, "enquire_links_received": n,
                     "enquire_links_answered": n}
    GET  /messages  [<the JSON lines of sms.jsonl, oldest first>]
    GET  /count     {"messages": n, "distinct_to": n, "segments": n, "first_at": <unix seconds>|null,
                     "last_at": ...}: counted in memory as messages are recorded, cheap enough to
                     poll while thousands arrive (the bench)
    GET  /binds     [{"system_id": ..., "ok": bool, "status": n, "at": <unix seconds>}, ...]
    POST /reply     {"from": "+79220000001", "text": "2", "encoding": "ucs2"|"gsm7"|"latin1"}
        sends a mobile-originated deliver_sm to the last bound client (UCS-2 unless told; a text
        longer than one segment as UDH-concatenated parts) and answers 200
        {"parts": n, "statuses": [deliver_sm_resp command_status, ...]}, or 409 when no client
        that can receive is bound.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import http.server
import json
import os
import secrets
import struct
import sys
import threading
import time

import smpp34

BIND_RECEIVER, BIND_TRANSMITTER, BIND_TRANSCEIVER = 0x01, 0x02, 0x09
SUBMIT_SM, DELIVER_SM, UNBIND, ENQUIRE_LINK = 0x04, 0x05, 0x06, 0x15
GENERIC_NACK, RESP = 0x80000000, 0x80000000
ESME_RINVCMDLEN, ESME_RINVCMDID, ESME_RINVBNDSTS, ESME_RALYBND = 0x02, 0x03, 0x04, 0x05
ESME_RINVDSTADR, ESME_RINVPASWD, ESME_RINVSYSID, ESME_RSYSERR = 0x0B, 0x0E, 0x0F, 0x08
TLV_RECEIPTED_MESSAGE_ID, TLV_MESSAGE_STATE, TLV_MESSAGE_PAYLOAD = 0x001E, 0x0427, 0x0424
TLV_SAR_REF, TLV_SAR_TOTAL, TLV_SAR_SEQ = 0x020C, 0x020E, 0x020F

GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXT = {0x0A: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\", 0x3C: "[", 0x3D: "~",
           0x3E: "]", 0x40: "|", 0x65: "€"}


def gsm_decode(data: bytes) -> str:
    out, esc = [], False
    for b in data:
        b &= 0x7F
        if esc:
            out.append(GSM_EXT.get(b, GSM_BASIC[b]))
            esc = False
        elif b == 0x1B:
            esc = True
        else:
            out.append(GSM_BASIC[b])
    return "".join(out)


def gsm_encode(text: str) -> bytes:
    ext = {c: s for s, c in GSM_EXT.items()}
    out = bytearray()
    for c in text:
        if c in ext:
            out += bytes([0x1B, ext[c]])
        else:
            out.append(GSM_BASIC.index(c))  # ValueError for a character outside the alphabet
    return bytes(out)


def decode_text(dc: int, data: bytes) -> str:
    if dc == 0x08:
        return data.decode("utf-16-be", errors="replace")
    if dc == 0x00 or (dc >= 0xF0 and not dc & 0x04):
        return gsm_decode(data)
    return data.decode("latin-1")


def encode_text(text: str, encoding: str) -> tuple[int, bytes, int]:
    """(data_coding, bytes, bytes per part of a concatenated message)."""
    if encoding == "gsm7":
        return 0x00, gsm_encode(text), 153
    if encoding == "latin1":
        return 0x03, text.encode("latin-1"), 134
    return 0x08, text.encode("utf-16-be"), 134


def cstrings(body: bytes, count: int) -> tuple[list[str], bytes]:
    out = []
    for _ in range(count):
        end = body.index(b"\0")
        out.append(body[:end].decode("ascii", errors="replace"))
        body = body[end + 1:]
    return out, body


def header(command_id: int, status: int, seq: int, body: bytes = b"") -> bytes:
    return struct.pack(">IIII", 16 + len(body), command_id, status, seq) + body


def e164(ton: int, addr: str) -> str:
    return addr if addr.startswith("+") or not addr.isdigit() or ton not in (0, 1) else "+" + addr


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


class Session:
    def __init__(self, smsc: "Smsc", writer: asyncio.StreamWriter):
        self.smsc, self.writer = smsc, writer
        self.system_id: str | None = None
        self.can_receive = self.can_send = False
        self.seq = 0
        self.waiting: dict[int, asyncio.Future] = {}

    def send(self, data: bytes) -> None:
        if not self.writer.is_closing():
            self.writer.write(data)

    async def request(self, build, timeout: float = 5.0) -> int:
        """Sends a PDU built for a fresh sequence number and waits for its response's status."""
        self.seq = seq = self.seq % 0x7FFFFFFF + 1
        future = asyncio.get_running_loop().create_future()
        self.waiting[seq] = future
        try:
            self.send(build(seq))
            await self.writer.drain()
            return await asyncio.wait_for(future, timeout)
        finally:
            self.waiting.pop(seq, None)

    def closed(self) -> None:
        for future in self.waiting.values():
            if not future.done():
                future.set_exception(ConnectionError("session closed"))


class Smsc:
    def __init__(self, args):
        self.args = args
        self.path = os.path.join(args.dir, "sms.jsonl")
        self.sessions: list[Session] = []
        self.outbox: list[tuple] = []  # send_receipt arguments waiting for a receiver
        self.parts: dict[tuple, dict] = {}
        self.binds: list[dict] = []
        self.stats = {"enquire_links_received": 0, "enquire_links_answered": 0}
        self.prefix = secrets.token_hex(3).upper()
        self.counter = 0
        self.counts = {"messages": 0, "segments": 0, "first_at": None, "last_at": None}
        self.recipients: set[str] = set()
        os.makedirs(args.dir, exist_ok=True)

    def receiver(self, system_id: str | None = None) -> Session | None:
        """The latest bound session that can receive, of `system_id` when there is one."""
        bound = [s for s in self.sessions if s.can_receive and not s.writer.is_closing()]
        own = [s for s in bound if s.system_id == system_id]
        return (own or bound or [None])[-1]

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = Session(self, writer)
        try:
            while True:
                length = struct.unpack(">I", await reader.readexactly(4))[0]
                if not 16 <= length <= 65536:
                    break
                frame = struct.pack(">I", length) + await reader.readexactly(length - 4)
                await self.handle(session, frame)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            pass
        finally:
            if session in self.sessions:
                self.sessions.remove(session)
            session.closed()
            writer.close()

    async def handle(self, s: Session, frame: bytes) -> None:
        command_id, status, seq = struct.unpack(">III", frame[4:16])
        if command_id & RESP:
            future = s.waiting.get(seq)
            if future and not future.done():
                future.set_result(status)
            return
        if command_id in (BIND_RECEIVER, BIND_TRANSMITTER, BIND_TRANSCEIVER):
            self.bind(s, command_id, seq, frame[16:])
        elif command_id == ENQUIRE_LINK:
            self.stats["enquire_links_received"] += 1
            s.send(header(ENQUIRE_LINK | RESP, 0, seq))
        elif command_id == UNBIND:
            s.send(header(UNBIND | RESP, 0, seq))
            await s.writer.drain()
            s.writer.close()
        elif command_id == SUBMIT_SM:
            self.submit(s, seq, frame)
        else:
            s.send(header(GENERIC_NACK, ESME_RINVCMDID, seq))

    def bind(self, s: Session, command_id: int, seq: int, body: bytes) -> None:
        try:
            (system_id, password, _system_type), _ = cstrings(body, 3)
        except ValueError:
            s.send(header(GENERIC_NACK, ESME_RINVCMDLEN, seq))
            return
        status = 0
        if s.system_id is not None:
            status = ESME_RALYBND
        elif self.args.system_id is not None and system_id != self.args.system_id:
            status = ESME_RINVSYSID
        elif self.args.system_id is not None and password != self.args.password:
            status = ESME_RINVPASWD
        self.binds.append({"system_id": system_id, "ok": status == 0, "status": status, "at": time.time()})
        if status:
            s.send(header(command_id | RESP, status, seq))  # no body with an error status
            return
        s.system_id = system_id
        s.can_receive = command_id in (BIND_RECEIVER, BIND_TRANSCEIVER)
        s.can_send = command_id in (BIND_TRANSMITTER, BIND_TRANSCEIVER)
        self.sessions.append(s)
        s.send(header(command_id | RESP, 0, seq, b"SIMSMSC\0"))
        if self.args.enquire_link > 0:
            asyncio.create_task(self.keepalive(s))
        if s.can_receive and self.outbox:
            waiting, self.outbox = self.outbox, []
            for receipt in waiting:
                asyncio.create_task(self.send_receipt(*receipt, delay=0.1))

    async def keepalive(self, s: Session) -> None:
        """Our own enquire_link every --enquire-link seconds; no answer in 5 s drops the session."""
        while not s.writer.is_closing():
            await asyncio.sleep(self.args.enquire_link)
            try:
                await s.request(lambda seq: header(ENQUIRE_LINK, 0, seq))
                self.stats["enquire_links_answered"] += 1
            except (asyncio.TimeoutError, ConnectionError, OSError):
                s.writer.close()
                return

    def submit(self, s: Session, seq: int, frame: bytes) -> None:
        if not s.can_send:
            s.send(header(SUBMIT_SM | RESP, ESME_RINVBNDSTS, seq))
            return
        try:
            sm = smpp34.decode(frame)
        except smpp34.SmppError:
            s.send(header(GENERIC_NACK, ESME_RINVCMDLEN, seq))
            return
        to = e164(sm.dest_addr_ton, sm.destination_addr)
        if to in self.args.refuse_numbers:
            s.send(header(SUBMIT_SM | RESP, ESME_RINVDSTADR, seq))
            return
        if to in self.args.silent_numbers:
            return  # never answered: the client's response timeout
        self.counter += 1
        message_id = f"{self.prefix}{self.counter:06d}"
        s.send(header(SUBMIT_SM | RESP, 0, seq, message_id.encode() + b"\0"))

        tlvs = {t.tag: t.value for t in sm.tlvs}
        data = sm.short_message or tlvs.get(TLV_MESSAGE_PAYLOAD, b"")
        part = None
        if sm.esm_class & 0x40 and data:
            udh, data = data[1:1 + data[0]], data[1 + data[0]:]
            while len(udh) >= 2:
                iei, n, value, udh = udh[0], udh[1], udh[2:2 + udh[1]], udh[2 + udh[1]:]
                if iei == 0x00 and n == 3:
                    part = (value[0], value[1], value[2])
                elif iei == 0x08 and n == 4:
                    part = (value[0] << 8 | value[1], value[2], value[3])
        elif TLV_SAR_REF in tlvs:
            part = (int.from_bytes(tlvs[TLV_SAR_REF], "big"), tlvs[TLV_SAR_TOTAL][0], tlvs[TLV_SAR_SEQ][0])

        receipt = sm.registered_delivery & 0x03
        state = "UNDELIV" if to in self.args.reject_numbers else "DELIVRD"
        if receipt:
            asyncio.create_task(self.send_receipt(s.system_id, message_id, to, sm.source_addr, state))
        if part is None or part[1] <= 1:
            self.record(to, sm.source_addr, sm.data_coding, [(data, message_id)])
            return
        reference, total, number = part
        key = (sm.source_addr, to, reference, total)
        parts = self.parts.setdefault(key, {})
        parts[number] = (data, message_id)
        if len(parts) == total:
            del self.parts[key]
            self.record(to, sm.source_addr, sm.data_coding, [parts[i] for i in sorted(parts)])

    def record(self, to: str, source: str, dc: int, parts: list[tuple[bytes, str]]) -> None:
        line = {
            "to": to,
            "from": source,
            "text": decode_text(dc, b"".join(data for data, _ in parts)),
            "message_id": parts[0][1],
            "message_ids": [message_id for _, message_id in parts],
            "segments": len(parts),
            "data_coding": dc,
            "at": now_iso(),
        }
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
        at = time.time()
        self.counts["messages"] += 1
        self.counts["segments"] += len(parts)
        self.counts["first_at"] = self.counts["first_at"] or at
        self.counts["last_at"] = at
        self.recipients.add(to)

    async def send_receipt(self, system_id, message_id, to, source, state, delay=None) -> None:
        await asyncio.sleep(self.args.receipt_delay if delay is None else delay)
        stamp = datetime.datetime.now().strftime("%y%m%d%H%M")
        err = "000" if state == "DELIVRD" else "001"
        text = (f"id:{message_id} sub:001 dlvrd:{'001' if state == 'DELIVRD' else '000'} "
                f"submit date:{stamp} done date:{stamp} stat:{state} err:{err} text:")
        tlvs = [smpp34.Tlv(TLV_RECEIPTED_MESSAGE_ID, message_id.encode() + b"\0"),
                smpp34.Tlv(TLV_MESSAGE_STATE, bytes([2 if state == "DELIVRD" else 5]))]
        build = lambda seq: smpp34.DeliverSm(  # noqa: E731
            to.lstrip("+"), source, text.encode(), source_addr_ton=1, source_addr_npi=1,
            esm_class=0x04, tlvs=tlvs, sequence_number=seq).encode()
        for _ in range(20):
            session = self.receiver(system_id)
            if session is None:
                self.outbox.append((system_id, message_id, to, source, state))
                return
            try:
                if await session.request(build) == 0:
                    return
            except (asyncio.TimeoutError, ConnectionError, OSError):
                pass
            await asyncio.sleep(1)

    async def reply(self, sender: str, text: str, encoding: str) -> dict | None:
        session = self.receiver()
        if session is None:
            return None
        dc, data, per_part = encode_text(text, encoding)
        single = 160 if dc == 0x00 else 140
        if len(data) <= single:
            chunks, esm = [data], 0x00
        else:
            reference = secrets.randbelow(256)
            pieces = []
            i = 0
            while i < len(data):
                end = min(i + per_part, len(data))
                if end < len(data) and dc == 0x00 and data[end - 1] == 0x1B:
                    end -= 1
                pieces.append(data[i:end])
                i = end
            chunks = [bytes([5, 0, 3, reference, len(pieces), n + 1]) + p for n, p in enumerate(pieces)]
            esm = 0x40
        statuses = []
        for chunk in chunks:
            build = lambda seq, chunk=chunk: smpp34.DeliverSm(  # noqa: E731
                sender.lstrip("+"), self.args.source_addr, chunk, source_addr_ton=1,
                source_addr_npi=1, esm_class=esm, data_coding=dc, sequence_number=seq).encode()
            statuses.append(await session.request(build))
        return {"parts": len(chunks), "statuses": statuses}

    def messages(self) -> list[dict]:
        if not os.path.exists(self.path):
            return []
        with open(self.path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]


def control_server(smsc: Smsc, loop: asyncio.AbstractEventLoop, port: int) -> http.server.HTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self, code: int, body) -> None:
            data = json.dumps(body, ensure_ascii=False).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def on_loop(self, fn):
            async def call():
                return fn()
            return asyncio.run_coroutine_threadsafe(call(), loop).result(10)

        def do_GET(self) -> None:
            if self.path == "/health":
                health = lambda: {"ok": True, "bound": len(smsc.sessions), **smsc.stats}  # noqa: E731
                self.answer(200, self.on_loop(health))
            elif self.path == "/messages":
                self.answer(200, self.on_loop(smsc.messages))
            elif self.path == "/count":
                self.answer(200, self.on_loop(lambda: {**smsc.counts, "distinct_to": len(smsc.recipients)}))
            elif self.path == "/binds":
                self.answer(200, self.on_loop(lambda: list(smsc.binds)))
            else:
                self.answer(404, {"error": "unknown path"})

        def do_POST(self) -> None:
            if self.path != "/reply":
                self.answer(404, {"error": "unknown path"})
                return
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                sender, text = str(body["from"]), str(body["text"])
                encoding = str(body.get("encoding", "ucs2"))
                coro = smsc.reply(sender, text, encoding)
                result = asyncio.run_coroutine_threadsafe(coro, loop).result(30)
            except (ValueError, KeyError, TypeError) as e:
                self.answer(400, {"error": f"bad request: {e}"})
                return
            except Exception as e:  # a session that broke mid-delivery
                self.answer(502, {"error": f"delivery failed: {e!r}"})
                return
            if result is None:
                self.answer(409, {"error": "no bound client can receive"})
            else:
                self.answer(200, result)

        def log_message(self, *_args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def numbers(values: list[str]) -> set[str]:
    return {n.strip() for v in values for n in v.split(",") if n.strip()}


async def main() -> None:
    p = argparse.ArgumentParser(description="Local SMPP 3.4 SMSC simulator (tests, demo).")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--dir", required=True, help="sms.jsonl is appended here")
    p.add_argument("--system-id", help="require this system_id (any bind is accepted without)")
    p.add_argument("--password", default="", help="require this password (with --system-id)")
    p.add_argument("--reject-numbers", action="append", default=[],
                   help="comma-separated E.164 numbers that get an UNDELIV receipt")
    p.add_argument("--refuse-numbers", action="append", default=[],
                   help="comma-separated E.164 numbers refused with ESME_RINVDSTADR at submit")
    p.add_argument("--silent-numbers", action="append", default=[],
                   help="comma-separated E.164 numbers whose submit_sm is never answered")
    p.add_argument("--control-port", type=int, help="HTTP control endpoint on 127.0.0.1")
    p.add_argument("--enquire-link", type=float, default=0,
                   help="send enquire_link to bound clients every so many seconds (0: never)")
    p.add_argument("--receipt-delay", type=float, default=0.5, help="seconds before a receipt")
    p.add_argument("--source-addr", default="DISPATCH", help="our number, as replies address it")
    args = p.parse_args()
    args.reject_numbers = numbers(args.reject_numbers)
    args.refuse_numbers = numbers(args.refuse_numbers)
    args.silent_numbers = numbers(args.silent_numbers)

    smsc = Smsc(args)
    server = await asyncio.start_server(smsc.serve, args.host, args.port, reuse_address=True)
    control = control_server(smsc, asyncio.get_running_loop(), args.control_port) if args.control_port else None
    print(f"smsc: SMPP on {args.host}:{args.port}"
          + (f", control on 127.0.0.1:{args.control_port}" if control else "")
          + f", messages in {smsc.path} (smpp34 {smpp34.__version__})", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
