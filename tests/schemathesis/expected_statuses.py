#!/usr/bin/env python3
"""Writes the schemathesis config for run.sh: the shared settings of schemathesis.toml, and for
every operation of the spec (read from stdin) the statuses a schema-valid request may get — those
the operation documents, never a 5xx. A documented 400 stays allowed: some refusals cannot be said
in JSON Schema (a period whose end is before its start, control characters in a search text),
and the server answers them with 400 `invalid_query`. An operation's own settings in schemathesis.toml (matched by
`include-name` or `include-path-regex`) are kept, and its own `expected-statuses` win.

Usage: dispatch openapi | expected_statuses.py schemathesis.toml > config.toml
"""

import json
import re
import sys
import tomllib

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def value(v):
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise ValueError(f"cannot write {v!r}")


def flatten(prefix, table, out):
    for key, v in table.items():
        name = f"{prefix}.{key}" if prefix else key
        if isinstance(v, dict):
            flatten(name, v, out)
        else:
            out[name] = v
    return out


def matches(entry, name, path):
    if "include-name" in entry:
        return entry["include-name"] == name
    if "include-path-regex" in entry:
        return re.search(entry["include-path-regex"], path) is not None
    return False


def main():
    with open(sys.argv[1], "rb") as f:
        base = tomllib.load(f)
    spec = json.load(sys.stdin)
    special = base.pop("operations", [])
    lines = [f"# Written by {sys.argv[0]} from {sys.argv[1]} and the spec; do not edit.", ""]
    for key, v in flatten("", base, {}).items():
        lines.append(f"{key} = {value(v)}")
    for path, item in sorted(spec["paths"].items()):
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            name = f"{method.upper()} {path}"
            documented = sorted(operation.get("responses", {}))
            settings = {}
            if "default" not in documented:
                settings["checks.positive_data_acceptance.expected-statuses"] = [
                    code for code in documented if not code.startswith("5")
                ]
            for entry in special:
                if matches(entry, name, path):
                    own = {k: v for k, v in entry.items() if not k.startswith("include-")}
                    settings.update(flatten("", own, {}))
            lines += ["", "[[operations]]", f"include-name = {value(name)}"]
            lines += [f"{k} = {value(v)}" for k, v in settings.items()]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
