"""Turns the statements PostgreSQL logged (log_min_duration_statement = 0) for one API request
into a pgbench script that replays exactly that SQL.

The log lines look like
  <ts> UTC [pid] user@db LOG:  duration: 0.1 ms  execute sqlx_s_3: SELECT ... $1 ...
  <ts> UTC [pid] user@db DETAIL:  parameters: $1 = '...', $2 = NULL
or `statement: BEGIN` for simple-protocol statements. Only `execute`/`statement` lines count
(`parse` and `bind` are the same statement's earlier phases).
"""

import json
import re

# A time-ordered id as the API writes them (UUIDv7: 48 bits of Unix milliseconds, version 7,
# random bits, variant 10xx), built in SQL: PostgreSQL 15 has no uuidv7().
UUID7 = ("(lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7' || "
         "substr(md5(random()::text), 1, 3) || to_hex(8 + floor(random() * 4)::int) || "
         "substr(md5(random()::text), 1, 15))::uuid")
# The complaint's id is used by several statements of one filing: the first use draws it and keeps
# it in a transaction-local setting, the later ones read it back (no extra round trip).
CID = "current_setting('bench.cid')::uuid"
CID_HEX = "replace(current_setting('bench.cid'), '-', '')"
CID_FIRST = f"set_config('bench.cid', ({UUID7})::text, true)::uuid"


def draw_cid_first(script):
    """The script with the first use of the complaint's id drawing it (set_config); the first use
    must be the id itself, not its hex digits (they come later in the same INSERT)."""
    i, j = script.find(CID), script.find(CID_HEX)
    if i < 0:
        return script
    if 0 <= j < i:
        raise RuntimeError("the complaint's hex digits come before its id in the captured filing")
    return script[:i] + CID_FIRST + script[i + len(CID):]

LINE = re.compile(r"^\S+ \S+ \S+ \[(\d+)\] (\S+)@(\S+) (LOG|DETAIL):  (.*)$")
EXEC = re.compile(r"^duration: [\d.]+ ms  (?:execute [^:]+|statement): (.*)$")
PARAM = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')")


def parse_log(text, database):
    """[(pid, sql, {n: literal or None})] in log order, for one database."""
    out = []
    pending = {}
    for raw in text.splitlines():
        m = LINE.match(raw)
        if not m or m.group(3) != database:
            continue
        pid, kind, rest = m.group(1), m.group(4), m.group(5)
        if kind == "LOG":
            e = EXEC.match(rest)
            if e:
                entry = [pid, e.group(1), {}]
                out.append(entry)
                pending[pid] = entry
            else:
                pending.pop(pid, None)
        elif kind == "DETAIL" and rest.startswith("parameters:") and pid in pending:
            params = {int(n): (None if v == "NULL" else v[1:-1].replace("''", "'"))
                      for n, v in PARAM.findall(rest)}
            pending[pid][2] = params
            pending.pop(pid)
    return [tuple(e) for e in out]


def quote(text):
    """A string literal that pgbench leaves alone: pgbench replaces `:name` even inside quotes,
    so colons are written as the escape \x3a of an E'' string."""
    if ":" not in text and "\\" not in text:
        return "'" + text.replace("'", "''") + "'"
    return "E'" + text.replace("\\", "\\\\").replace("'", "''").replace(":", "\\x3a") + "'"


def literal(value, needles, cast=None):
    """A SQL expression for `value`, with every needle replaced by its pgbench expression."""
    if value is None:
        return "NULL"
    for needle, expr in needles:
        if needle and value == needle:
            return expr
    parts = [(value, None)]
    for needle, expr in needles:
        if not needle:
            continue
        nxt = []
        for text, e in parts:
            if e is not None:
                nxt.append((text, e))
                continue
            for p in re.split("(" + re.escape(needle) + ")", text, flags=re.IGNORECASE):
                if p.lower() == needle.lower():
                    nxt.append((p, f"lower({expr})" if p != needle and p == needle.lower() else expr))
                elif p:
                    nxt.append((p, None))
        parts = nxt
    if len(parts) == 1 and parts[0][1] is None:
        text = quote(value)
        return text + (f"::{cast}" if cast and text.startswith("E'") else "")
    expr = "(" + " || ".join(e if e is not None else quote(t) for t, e in parts) + ")"
    return expr + (f"::{cast}" if cast else "")


def column_of_params(sql):
    """{placeholder number: (table, column)} for INSERT … VALUES and UPDATE … SET statements."""
    out = {}
    m = re.match(r'\s*INSERT INTO "?(\w+)"? \(([^)]*)\) VALUES \(([^)]*)\)', sql)
    if m:
        cols = [c.strip().strip('"') for c in m.group(2).split(",")]
        vals = [v.strip() for v in m.group(3).split(",")]
        for c, v in zip(cols, vals):
            if v.startswith("$"):
                out[int(v[1:])] = (m.group(1), c)
    m = re.match(r'\s*UPDATE "?(\w+)"? SET (.*?) WHERE', sql)
    if m:
        for c, n in re.findall(r'"(\w+)" = \$(\d+)', m.group(2)):
            out[int(n)] = (m.group(1), c)
    return out


def substitute(sql, params, needles, types=None):
    """`sql` with its $n replaced by literals; `types` maps (table, column) to a SQL type, used to
    cast composite expressions (text || …) back to the column's type (e.g. jsonb)."""
    cols = column_of_params(sql)

    def repl(m):
        n = int(m.group(1))
        cast = (types or {}).get(cols.get(n))
        if cast in ("text", "varchar", "character varying"):
            cast = None
        return literal(params.get(n), needles, cast)
    return re.sub(r"\$(\d+)", repl, sql)


def pgbench_script(statements, needles, gset_on=None, types=None):
    """One pgbench command per statement (each on one line); `gset_on` marks the statement whose
    result row is stored into pgbench variables (e.g. the counter's RETURNING value)."""
    lines = ["\\set r random(1, 1000000000000000)"]
    for _pid, sql, params in statements:
        text = substitute(sql, params, needles, types).replace("\n", " ")
        if gset_on and gset_on in sql:
            lines.append(text + " \\gset")
        else:
            lines.append(text + ";")
    return "\n".join(lines) + "\n"
