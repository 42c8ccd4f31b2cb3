"""Issue 16: the live feed. BENCH_LIVE_BOARDS (50) dispatcher boards poll the board's first page
the way the SPA does (`useLiveChanges`: every LIVE_POLL_S with If-None-Match, 304 when nothing
changed) while residents file BENCH_LIVE_FILINGS (30) complaints, one every BENCH_LIVE_GAP_S (1 s).
For each filing: the time from its 201 to the first board and to the last board that saw it on the
page. The boards start spread over one poll interval, as tabs opened at different moments are, so
the expected latency is about half an interval plus the request; anything far above it is the
server's.
"""

import json
import os
import random
import statistics
import threading
import time

from .config import log, db_url, http, DB
from .server import Server

BOARDS = int(os.environ.get("BENCH_LIVE_BOARDS", "50"))
FILINGS = int(os.environ.get("BENCH_LIVE_FILINGS", "30"))
GAP_S = float(os.environ.get("BENCH_LIVE_GAP_S", "1"))
# web/src/features/complaints/hooks/useLiveChanges.ts: LIVE_POLL_MS.
POLL_S = 4.0
BOARD_PATH = "/api/v1/complaints?status=registered&sort=newest&limit=20"


def quantile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


class Board(threading.Thread):
    """One open board: polls, and notes when each filed complaint first appears on its page."""

    def __init__(self, port, token, filed, stop, offset):
        super().__init__(daemon=True)
        self.port, self.token, self.filed, self.stop_flag = port, token, filed, stop
        self.offset = offset
        self.seen = {}  # complaint id -> monotonic time first seen
        self.polls = self.not_modified = self.failures = 0
        self.latencies_ms = []

    def run(self):
        etag = None
        self.stop_flag.wait(self.offset)
        while not self.stop_flag.is_set():
            started = time.monotonic()
            headers = {"If-None-Match": etag} if etag else {}
            try:
                code, response_headers, body = http(self.port, "GET", BOARD_PATH, token=self.token,
                                                    headers=headers, timeout=30)
            except OSError:
                code, response_headers, body = 0, {}, b""
            self.polls += 1
            now = time.monotonic()
            if code == 304:
                self.not_modified += 1
            elif code == 200:
                etag = {k.lower(): v for k, v in response_headers.items()}.get("etag")
                for item in json.loads(body)["items"]:
                    if item["id"] not in self.seen:
                        self.seen[item["id"]] = now
            else:
                self.failures += 1
            self.stop_flag.wait(max(0.0, POLL_S - (time.monotonic() - started)))


def run_live_boards(binary):
    """Returns the figures for latest.json (`live_boards`)."""
    server = Server(binary, db_url(DB)).start()
    try:
        dispatcher = server.login("dispatcher")["access_token"]
        resident = server.login("resident")["access_token"]
        code, _, body = http(server.port, "GET", "/api/v1/buildings?limit=20", token=resident)
        buildings = [b["id"] for b in json.loads(body)] if code == 200 else []
        code, _, body = http(server.port, "GET", "/api/v1/categories", token=resident)
        categories = [c["id"] for c in json.loads(body) if not c.get("emergency")] if code == 200 else []
        if not buildings or not categories:
            raise RuntimeError("no buildings or categories to file against")
        filed, stop = {}, threading.Event()
        rng = random.Random(20261207)
        boards = [Board(server.port, dispatcher, filed, stop, offset=rng.uniform(0, POLL_S))
                  for _ in range(BOARDS)]
        for board in boards:
            board.start()
        time.sleep(POLL_S + 1)  # every board has its first page and ETag
        failed_filings = 0
        for i in range(FILINGS):
            body = {"building_id": rng.choice(buildings), "category_id": rng.choice(categories),
                    "description": f"Проверка живой доски {i}: не горит свет в подъезде"}
            code, _, answer = http(server.port, "POST", "/api/v1/complaints", body=body, token=resident,
                                   headers={"Idempotency-Key": f"live-{os.getpid()}-{i}-{time.time_ns()}"})
            if code == 201:
                filed[json.loads(answer)["complaint"]["id"]] = time.monotonic()
            else:
                failed_filings += 1
            time.sleep(GAP_S)
        time.sleep(POLL_S * 2 + 1)  # the last filing reaches every board
        stop.set()
        for board in boards:
            board.join(30)
        first, last, missing = [], [], 0
        for complaint, at in filed.items():
            seen = [b.seen[complaint] - at for b in boards if complaint in b.seen]
            missing += BOARDS - len(seen)
            if seen:
                first.append(max(0.0, min(seen)) * 1000)
                last.append(max(0.0, max(seen)) * 1000)
        polls = sum(b.polls for b in boards)
        result = {
            "boards": BOARDS, "filings": FILINGS, "filed": len(filed), "failed_filings": failed_filings,
            "poll_interval_s": POLL_S, "board_path": BOARD_PATH, "polls": polls,
            "not_modified_share": round(sum(b.not_modified for b in boards) / polls, 3) if polls else None,
            "poll_failures": sum(b.failures for b in boards), "board_sightings_missing": missing,
        }
        for name, values in (("first_board_ms", first), ("every_board_ms", last)):
            if values:
                result[name] = {"median": round(statistics.median(values)), "p95": round(quantile(values, 0.95)),
                                "max": round(max(values))}
        log(f"live boards: {result}")
        return result
    finally:
        server.stop()
