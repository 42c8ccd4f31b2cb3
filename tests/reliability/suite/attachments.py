"""Finding 6 of the security review: attachment quotas hold under parallel uploads (PostgreSQL)."""

import threading

from .common import report, run_threads, join_all, pg_url, psql, create_database
from .server import Server

# A one-page PDF: cheap to clean, so the burst is about the quota, not the CPU.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def burst(server, token, complaint_ids, count):
    """`count` parallel uploads, spread over the complaints; the answers' statuses."""
    barrier = threading.Barrier(count, timeout=20)
    statuses = []
    lock = threading.Lock()

    def one(i):
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass
        cid = complaint_ids[i % len(complaint_ids)]
        r = server.req("POST", f"/api/v1/complaints/{cid}/attachments?filename=act.pdf", token=token,
                       raw=PDF, headers={"Content-Type": "application/pdf"}, timeout=30)
        with lock:
            statuses.append(r.status or r.error)

    join_all(run_threads(one, count), 60)
    return statuses


def check_attachment_quota(binary):
    db = create_database("attach")
    server = Server(binary, pg_url(db), "attachments").start()
    resident = server.token("resident")
    company_login = server.login("company")
    org = (company_login["user"].get("organisation") or {}).get("id")
    building, category = server.city(org)
    ids = []
    for n in range(4):
        c = server.create(resident, building, category, f"attachment quota {n}")
        ids.append(c.json()["complaint"]["id"])

    # 1. Three people upload 60 files in parallel to one complaint: it holds 20.
    tokens = [resident, company_login["access_token"], server.token("dispatcher")]
    statuses = []
    threads_out = []

    def per_user(i):
        threads_out.append(burst(server, tokens[i], [ids[0]], 20))

    join_all(run_threads(per_user, 3), 90)
    for s in threads_out:
        statuses.extend(s)
    rows = int(psql(db, f"SELECT count(*) FROM attachments WHERE complaint_id = '{ids[0]}'"))
    seen = sorted({str(s) for s in statuses})
    report("60 parallel uploads to one complaint (limit 20)", f"{rows} stored, answers {seen}",
           rows == 20 and statuses.count(201) == 20 and set(seen) <= {"201", "409"})

    # 2. One inspector uploads 60 files in parallel over three fresh complaints: their day holds 40.
    inspector = server.token("inspector")
    statuses = burst(server, inspector, ids[1:], 60)
    rows = int(psql(db, "SELECT count(*) FROM attachments a JOIN users u ON u.id = a.uploaded_by "
                        "WHERE u.login = 'inspector@demo.test'"))
    seen = sorted({str(s) for s in statuses})
    report("60 parallel uploads by one account (40 a day)", f"{rows} stored, answers {seen}",
           rows == 40 and statuses.count(201) == 40 and set(seen) <= {"201", "429"})
