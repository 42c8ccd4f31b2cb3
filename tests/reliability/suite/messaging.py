"""kill -9 while the senders hand SMS to the SMS centre: nothing is lost, and what is sent twice
is bounded by what was in flight at the kill (the one window SMPP cannot close: the SMS centre
took a message and the process died before recording its answer)."""

import json
import os
import signal
import socket
import subprocess
import time

from .common import report, psql, create_database, pg_url, REPO, WORK
from .server import Server

SMS = 2000
IN_FLIGHT = 32  # crates/api/src/messaging/send.rs: submits in flight at once


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _start_smsc(directory, port, control):
    venv = subprocess.run([os.path.join(REPO, "tests", "sinks", "venv.sh")], check=True,
                          capture_output=True, text=True).stdout.strip()
    log = open(os.path.join(directory, "smsc.log"), "ab")
    proc = subprocess.Popen([os.path.join(venv, "bin", "python"), os.path.join(REPO, "tests", "sinks", "smsc.py"),
                             "--port", str(port), "--control-port", str(control), "--dir", directory,
                             "--system-id", "dispatch", "--password", "rel"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the SMSC simulator did not start")


def _texts(directory):
    path = os.path.join(directory, "sms.jsonl")
    if not os.path.exists(path):
        return []
    with open(path, "rb") as f:
        written = f.read()
    # The simulator may be half-way through appending a line while this reads (even through a
    # character's bytes): only lines that end in a newline are whole.
    whole = written[: written.rfind(b"\n") + 1].decode("utf-8")
    return [json.loads(line)["text"] for line in whole.splitlines() if line.strip()]


def check_sms_kill9(binary):
    directory = os.path.join(WORK, "smsc")
    os.makedirs(directory, exist_ok=True)
    port, control = _free_port(), _free_port()
    smsc = _start_smsc(directory, port, control)
    db = create_database("sms")
    url = pg_url(db)
    try:
        # Migrate, then queue the SMS as the worker would have.
        Server(binary, url, "sms-migrate").start().stop()
        psql(db, "INSERT INTO deliveries (id, kind, channel, language, address, body, shown_body, state, "
                 "not_before, attempts, is_test, created_at) "
                 f"SELECT gen_random_uuid(), 'done', 'sms', 'ru', '+7922' || lpad(n::text, 7, '0'), "
                 "'Жалоба РЕЛ-' || n || ': УК сообщила о выполнении. Ответьте 1 или 2.', "
                 "'Жалоба РЕЛ-' || n || ': УК сообщила о выполнении. Ответьте 1 или 2.', "
                 f"'queued', now(), 0, false, now() FROM generate_series(1, {SMS}) AS n")
        smpp = {"APP_SMPP_HOST": "127.0.0.1", "APP_SMPP_PORT": port, "APP_SMPP_SYSTEM_ID": "dispatch",
                "APP_SMPP_PASSWORD": "rel", "APP_DELIVERY_INTERVAL_MS": 50,
                "APP_SMS_PER_DAY": 1000000}
        server = Server(binary, url, "sms-kill9", **smpp).start()
        deadline = time.monotonic() + 60
        while len(_texts(directory)) < SMS // 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        server.signal(signal.SIGKILL)
        server.proc.wait(timeout=10)
        at_kill = len(_texts(directory))
        sent_at_kill = int(psql(db, "SELECT count(*) FROM deliveries WHERE state <> 'queued'"))

        # The claims of the killed process run out after two minutes; a restart at once would wait
        # for them, so the test ends them as time would.
        psql(db, "UPDATE deliveries SET claimed_until = NULL WHERE state = 'queued'")
        server2 = Server(binary, url, "sms-kill9-restart", **smpp).start()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if int(psql(db, "SELECT count(*) FROM deliveries WHERE state = 'queued'")) == 0:
                break
            time.sleep(0.2)
        time.sleep(0.5)
        server2.stop()
        texts = _texts(directory)
        counts = {}
        for text in texts:
            counts[text] = counts.get(text, 0) + 1
        lost = SMS - len(counts)
        twice = sum(n - 1 for n in counts.values() if n > 1)
        queued = int(psql(db, "SELECT count(*) FROM deliveries WHERE state = 'queued'"))
        ok = at_kill > 0 and sent_at_kill < SMS and lost == 0 and queued == 0 and twice <= IN_FLIGHT
        report("kill -9 while sending SMS (postgres)",
               f"{SMS} queued; SIGKILL after {at_kill} reached the SMS centre ({sent_at_kill} recorded); "
               f"after restart {len(counts)} distinct delivered, {lost} lost, {twice} sent twice "
               f"(bound: {IN_FLIGHT} in flight), {queued} still queued", ok)
    finally:
        smsc.kill()
        smsc.wait(timeout=10)
