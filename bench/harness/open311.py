"""Issue 12, part 2: Open311 GeoReport v2 `GET /open311/v2/requests.json` over the seeded city,
beside the public list (`GET /api/v1/public/complaints`) in the same run and server: wrk
(`get.lua`, no token, -t2 -c$BENCH_CONNECTIONS -d$BENCH_DURATION) per query variant, after one
request of each variant that records its page (rows, bytes). Open311 answers at most 1000 rows
over the last 90 days by default (no page size parameter); the public list 50 by default, at most
200, so the public list is also read at limit=200.
"""

import json

from .config import log, db_url, http, DB, DURATION, CONNECTIONS
from .server import Server
from .measure import wrk


def variants(service_code):
    return [
        ("open311", "no filter", "/open311/v2/requests.json"),
        ("open311", f"service_code={service_code}", f"/open311/v2/requests.json?service_code={service_code}"),
        ("open311", "status=closed", "/open311/v2/requests.json?status=closed"),
        ("public", "no filter (default limit 50)", "/api/v1/public/complaints"),
        ("public", "limit=200 (the largest page)", "/api/v1/public/complaints?limit=200"),
        ("public", "status=closed (default limit 50)", "/api/v1/public/complaints?status=closed"),
    ]


def page(port, path):
    code, _, body = http(port, "GET", path, timeout=120)
    rows = None
    if code == 200:
        doc = json.loads(body)
        rows = len(doc) if isinstance(doc, list) else len(doc.get("items", []))
    return code, rows, len(body)


def run_open311(binary, service_code="roof_leak"):
    """Returns the figures for latest.json (`open311`)."""
    result = {"wrk": f"-t2 -c{CONNECTIONS} -d{DURATION}s, no token", "rows": []}
    server = Server(binary, db_url(DB)).start()
    try:
        # A fresh process: one warm-up over every variant (connections, statement preparation).
        for _, _, path in variants(service_code):
            page(server.port, path)
        for api, name, path in variants(service_code):
            code, rows, size = page(server.port, path)
            log(f"open311: {api} {name}: HTTP {code}, {rows} rows, {size} bytes; wrk")
            r = wrk(server, "get.lua", {"BENCH_TOKEN": "", "BENCH_PATH": path})
            r.pop("wrk_output")
            r.update({"api": api, "variant": name, "path": path, "status": code, "page_rows": rows,
                      "page_bytes": size, "errors": r["non_2xx"] + r["socket_errors"],
                      "rows_per_second": round(r["rps"] * rows) if rows else None})
            result["rows"].append(r)
            log(f"  {r['rps']:.0f} rps, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms, errors {r['errors']}, "
                f"{r['rows_per_second']} rows/s")
    finally:
        server.stop()
    return result
