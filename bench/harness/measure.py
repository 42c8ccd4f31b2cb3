"""wrk and pgbench runs with their figures, the PostgreSQL log, and the machine's description."""

import os
import platform
import re
import shutil
import subprocess
import time

from .config import HERE, db_url, psql, DURATION, CONNECTIONS, DB, PG_LOG_DIR, RESULTS_DIR, WORK, POOL
from .server import RssSampler


def to_ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    v, unit = float(m.group(1)), m.group(2)
    return {"us": v / 1000, "ms": v, "s": v * 1000, "m": v * 60000}[unit]


def wrk(server, script, env, duration=DURATION, connections=CONNECTIONS, timeout="10s"):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", f"--timeout={timeout}", "--latency",
           "-s", os.path.join(HERE, "wrk", script), f"http://127.0.0.1:{server.port}"]
    sampler = RssSampler(server)
    sampler.start()
    out = subprocess.run(cmd, env=dict(os.environ, **env), capture_output=True, text=True,
                         timeout=duration + 120)
    sampler.stop_flag.set()
    sampler.join()
    text = out.stdout + out.stderr
    with open(os.path.join(WORK, f"wrk-{script}-{time.strftime('%H%M%S')}.txt"), "w") as f:
        f.write(text)

    def grab(pattern, conv, default=None):
        m = re.search(pattern, text)
        return conv(m.group(1)) if m else default
    rps = grab(r"Requests/sec:\s+([\d.]+)", float, 0.0)
    p50 = grab(r"50%\s+(\d\S*)", to_ms)
    p99 = grab(r"99%\s+(\d\S*)", to_ms)
    total = grab(r"(\d+) requests in", int, 0)
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", text)) else 0
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    sock_errors = sum(int(x) for x in sock.groups()) if sock else 0
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "requests": total, "non_2xx": non2xx,
            "socket_errors": sock_errors, "max_rss_mb": sampler.max_rss, "wrk_output": text}


def pgbench(script_text, name, duration=DURATION, clients=POOL):
    path = os.path.join(WORK, f"{name}.pgbench.sql")
    with open(path, "w") as f:
        f.write(script_text)
    shutil.copy(path, os.path.join(RESULTS_DIR, f"{name}.pgbench.sql"))
    out = subprocess.run(["pgbench", "-n", "-M", "prepared", "-c", str(clients), "-j", "2", "-T", str(duration),
                          "-f", path, db_url(DB)], capture_output=True, text=True, timeout=duration + 120)
    text = out.stdout + out.stderr
    m = re.search(r"tps = ([\d.]+) \(without initial connection time\)", text) or re.search(r"tps = ([\d.]+)", text)
    if out.returncode or not m:
        raise RuntimeError(f"pgbench {name} failed:\n{text[-2000:]}")
    lat = re.search(r"latency average = ([\d.]+) ms", text)
    failed = re.search(r"number of failed transactions: (\d+)", text)
    return {"tps": float(m.group(1)), "clients": clients, "latency_avg_ms": float(lat.group(1)) if lat else None,
            "failed": int(failed.group(1)) if failed else 0, "output": text}


def pg_log_file():
    files = [os.path.join(PG_LOG_DIR, f) for f in os.listdir(PG_LOG_DIR) if f.endswith(".log")]
    return max(files, key=os.path.getmtime)


def read_from(path, offset):
    with open(path, "rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", "replace")


def cpu_ticks():
    """The host's CPU time so far, from the first line of /proc/stat (USER_HZ = 100)."""
    with open("/proc/stat") as f:
        return [int(x) for x in f.readline().split()[1:]]


def busy_ms():
    """CPU time the whole host has spent busy so far (every process: wrk, the server, PostgreSQL),
    in milliseconds: user, nice, system, irq and softirq. Idle, I/O wait and steal (time the
    hypervisor gave to other machines, which swings on a shared host) are left out."""
    user, nice, system, _idle, _iowait, irq, softirq = cpu_ticks()[:7]
    return (user + nice + system + irq + softirq) * 10


def steal_ms():
    """CPU time the hypervisor has taken from this machine so far, in milliseconds."""
    return cpu_ticks()[7] * 10


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    pg = psql("SHOW server_version", db="postgres")
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release(), "postgres": pg,
            "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("\n")[0].strip(),
            "load_avg_at_start": os.getloadavg()}
