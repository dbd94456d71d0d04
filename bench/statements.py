"""Reads what bench/statements.sh collected.

  statements.py count SERVER_LOG [-v]   round trips per request from the server's JSON log
                                        (sqlx's statement events inside each request's span:
                                        one per query sent; a SQLite batch of several
                                        statements is one, and counts as one)
  statements.py plans PG_LOG            the plans auto_explain logged for the statements of
                                        GET /api/me and of a redeem (the last of each)
"""
import json
import re
import sys

# Not counted: a transaction's BEGIN and COMMIT (a writing request adds both; SQLite's
# driver does not log them) and sqlx's one-off type lookups on a new connection.
SKIPPED = re.compile(r"^(BEGIN|COMMIT|ROLLBACK)$|::regtype::oid")

REQUESTS = ("GET /api/me", "POST /api/orders", "POST /api/checkins")

# The statements of GET /api/me and of a redeem whose plans are shown.
PLANNED = (
    "FROM sessions x JOIN members m",
    "FROM members m, items WHERE",
    "INSERT INTO member_item_counts",
    r"WITH t AS \(UPDATE members SET balance = balance - ",
    r"WITH s AS \(UPDATE items SET stock",
    r"WITH c AS \(INSERT INTO codes",
)


def count(log, verbose):
    counts, lists = {}, {}
    for line in open(log):
        try:
            event = json.loads(line)
        except ValueError:
            continue
        span = event.get("span") or {}
        sql = event.get("fields", {}).get("db.statement")
        if sql is None or span.get("name") != "request":
            continue
        text = " ".join(sql.split()) or event["fields"].get("summary", "")
        if SKIPPED.search(text):
            continue
        path = re.sub(r"/sales/\d+/", "/sales/{id}/", span.get("path", ""))
        key = f'{span.get("method")} {path}'
        counts[key] = counts.get(key, 0) + 1
        lists.setdefault(key, []).append(text[:110])
    for key in REQUESTS + ("POST /api/sales/{id}/grab",):
        print(f"  {key:<28} {counts.get(key, 0):>3} round trips")
    if verbose:
        for key in REQUESTS + ("POST /api/sales/{id}/grab",):
            print(f"\n  {key}:")
            for text in lists.get(key, []):
                print(f"    {text}")


def plans(log):
    entries = re.split(r"\n(?=\S.*LOG:  duration: )", open(log).read())
    print("\n  plans as they ran (auto_explain; the last of each statement):")
    for wanted in PLANNED:
        hits = [e for e in entries if "LOG:  duration: " in e and re.search(wanted, e)]
        if hits:
            print("\n" + hits[-1].strip())


if __name__ == "__main__":
    if sys.argv[1] == "count":
        count(sys.argv[2], len(sys.argv) > 3 and sys.argv[3] in ("-v", "-e"))
    else:
        plans(sys.argv[2])
