#!/usr/bin/env python3
"""Journal chains for the HQ tests, as JSON lines (one event per line:
terminal, seq, type, at, user, payload, prev_hash, hash).

  chain.py import STORE.db                 the real journal of a till store
  chain.py append CHAIN TYPE PAYLOAD [AT]  a new event, hashed like the till
  chain.py sales CHAIN N DATE              N sale events (SKU-1 x 2 @ 3500, cash)
  chain.py fork CHAIN SEQ                  the chain with event SEQ altered and
                                           every later one re-hashed (a fork)
  chain.py push CHAIN STORE FROM TO [--local-head N] [--tamper SEQ]
                                           a POST /v1/events body; --tamper alters
                                           SEQ's payload without re-hashing

The hash is the till's (pos/core/chain.h):
  BLAKE2b-256(prev_hash || "cm1|" terminal "|" seq "|" type "|" at "|" user "|" payload)
"""
import hashlib
import json
import sqlite3
import sys


def event_hash(prev_hex, terminal, seq, typ, at, user, payload):
    h = hashlib.blake2b(digest_size=32)
    h.update(bytes.fromhex(prev_hex))
    h.update(f"cm1|{terminal}|{seq}|{typ}|{at}|{user}|".encode())
    h.update(payload.encode())
    return h.hexdigest()


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def dump(events, out=sys.stdout):
    for e in events:
        out.write(json.dumps(e, ensure_ascii=False) + "\n")


def make(events, terminal, typ, payload, at, user=0):
    prev = events[-1]["hash"] if events else "0" * 64
    seq = events[-1]["seq"] + 1 if events else 1
    return {"terminal": terminal, "seq": seq, "type": typ, "at": at, "user": user,
            "payload": payload, "prev_hash": prev,
            "hash": event_hash(prev, terminal, seq, typ, at, user, payload)}


def cmd_import(db):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT terminal_id, seq, type, at, user_id, payload, "
                       "lower(hex(prev_hash)), lower(hex(hash)), lower(hex(sig)) "
                       "FROM journal ORDER BY seq")
    events = []
    for t, seq, typ, at, user, payload, prev, h, sig in rows:
        # The test's own check that it hashes exactly like the till.
        if event_hash(prev, t, seq, typ, at, user, payload) != h:
            sys.exit(f"chain.py: event {seq} of {db} does not hash like the till")
        e = {"terminal": t, "seq": seq, "type": typ, "at": at, "user": user,
             "payload": payload, "prev_hash": prev, "hash": h}
        if sig:
            e["sig"] = sig      # the till's signature (store_sign.h), kept as it is
        events.append(e)
    dump(events)


def cmd_append(path, typ, payload, at=None, user=0):
    events = load(path)
    at = int(at) if at else (events[-1]["at"] + 1 if events else 1764403200)
    events.append(make(events, events[0]["terminal"], typ, payload, at, int(user)))
    with open(path, "w") as f:
        dump(events, f)


def cmd_sales(path, n, date):
    events = load(path)
    term = events[0]["terminal"]
    for i in range(int(n)):
        no = sum(1 for e in events if e["type"] == "sale") + 1
        payload = json.dumps({
            "receipt": f"{term}-{no:06d}", "ticket": no, "cashier": 2,
            "opened": events[-1]["at"], "date": int(date),
            "lines": [{"line": 1, "item": 1, "sku": "SKU-1", "qty": 2000, "price": 3500,
                       "list_price": 3500, "amount": 7000, "discount": 0, "net": 7000,
                       "tax": "standard"},
                      {"line": 2, "item": 2, "sku": "BERAS-5", "qty": 1000, "price": 65050,
                       "list_price": 65050, "amount": 65050, "discount": 0, "net": 65050,
                       "tax": "exempt", "voided": True}],
            "gross": 7000, "discount": 0, "total": 7000, "rounding": 0, "due": 7000,
            "paid": 10000, "change": 3000,
            "taxes": [{"class": "standard", "total": 7000, "tax": 694}],
            "tenders": [{"kind": "cash", "amount": 10000}]}, separators=(",", ":"))
        events.append(make(events, term, "sale", payload, events[-1]["at"] + 1))
    with open(path, "w") as f:
        dump(events, f)


def cmd_fork(path, seq):
    events = load(path)
    seq = int(seq)
    out = [e for e in events if e["seq"] < seq]
    for e in events:
        if e["seq"] < seq:
            continue
        payload = e["payload"]
        if e["seq"] == seq:
            payload = payload[:-1] + ',"forked":true}' if payload.endswith("}") else payload + " "
        out.append(make(out, e["terminal"], e["type"], payload, e["at"], e["user"]))
    dump(out)


def cmd_push(path, store, first, last, *opts):
    events = load(path)
    first, last = int(first), int(last)
    local_head, tamper = None, None
    it = iter(opts)
    for o in it:
        if o == "--local-head":
            local_head = int(next(it))
        elif o == "--tamper":
            tamper = int(next(it))
        else:
            sys.exit(f"chain.py push: unknown option {o}")
    batch = []
    for e in events:
        if first <= e["seq"] <= last:
            e = {k: e[k] for k in ("seq", "type", "at", "user", "payload", "prev_hash", "hash",
                                   "sig") if k in e}
            if e["seq"] == tamper:
                e["payload"] = e["payload"].replace("}", ',"x":1}', 1) if "}" in e["payload"] else e["payload"] + "x"
            batch.append(e)
    body = {"store": store, "terminal": events[0]["terminal"],
            "local_head": local_head if local_head is not None else events[-1]["seq"],
            "events": batch}
    sys.stdout.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")))


def main():
    cmds = {"import": cmd_import, "append": cmd_append, "sales": cmd_sales,
            "fork": cmd_fork, "push": cmd_push}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    main()
