#!/usr/bin/env python3
"""What a dishonest official with the store's database file can do, for the
trust tests (issue 19). Each works straight on the SQLite file, the way a
person with the sqlite3 shell would: the append-only triggers are dropped
first, the journal is rewritten and its whole chain recomputed with the
till's hash (pos/core/chain.h), so that `journal verify` finds no broken
link.

  tamper.py DB rewrite SEQ OLD NEW [--sync-state] [--unsigned]
      replace every OLD by NEW in event SEQ's payload (and nothing else) and
      recompute the hash of SEQ and of every later event
  tamper.py DB drop SEQ [--sync-state]
      delete event SEQ (and the sale that it journaled, if any), renumber
      every later event and every row that names a journal sequence, and
      recompute the chain
  tamper.py DB truncate N [--sync-state]
      delete every event after N (and the sales they journaled)

--sync-state also makes sync_state (what HQ last acknowledged) agree with
the rewritten journal, so that only HQ's own copy can tell.

From the 'signing_key' event on, every rewritten event is signed again
with the terminal's key read from DB.key (a local root can read it: what
signing cannot stop, PROTOCOL.md); --unsigned leaves them unsigned (a
forger without the key).
"""
import hashlib
import os
import sqlite3
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def event_hash(prev, terminal, seq, typ, at, user, payload):
    h = hashlib.blake2b(digest_size=32)
    h.update(prev)
    h.update(f"cm1|{terminal}|{seq}|{typ}|{at}|{user}|".encode())
    h.update(payload.encode())
    return h.digest()


def drop_guards(con):
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                               "AND (name LIKE '%no_update' OR name LIKE '%no_delete' "
                               "OR name = 'journal_contiguous')").fetchall():
        con.execute(f"DROP TRIGGER {name}")


def delete_sale(con, seq):
    for (sid,) in con.execute("SELECT id FROM sales WHERE journal_seq = ?", (seq,)).fetchall():
        for t in ("sale_lines", "sale_tenders", "sale_taxes", "sale_receipt_heads"):
            con.execute(f"DELETE FROM {t} WHERE sale_id = ?", (sid,))
        con.execute("DELETE FROM sales WHERE id = ?", (sid,))
    con.execute("DELETE FROM stock_movements WHERE journal_seq = ?", (seq,))


def seq_tables(con):
    out = []
    for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})")]
        if "journal_seq" in cols and t != "journal":
            out.append(t)
    return out


def signer(db):
    """The till's secret key (store_sign.c: seed || public key, as hex)."""
    if not os.path.exists(db + ".key"):
        return None
    sk = bytes.fromhex(open(db + ".key").read().strip())
    return Ed25519PrivateKey.from_private_bytes(sk[:32])


def rewrite_chain(con, events, key):
    """events: (terminal, type, at, user, payload) in order, renumbered 1..n.
    An event whose hash did not change keeps its signature."""
    old = dict(con.execute("SELECT hash, sig FROM journal").fetchall())
    con.execute("DELETE FROM journal")
    prev = bytes(32)
    signing = False
    for i, (term, typ, at, user, payload) in enumerate(events, 1):
        h = event_hash(prev, term, i, typ, at, user, payload)
        signing = signing or typ == "signing_key"
        sig = old.get(h) or (key.sign(h) if signing and key else None)
        con.execute("INSERT INTO journal(terminal_id, seq, type, at, user_id, payload, "
                    "prev_hash, hash, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (term, i, typ, at, user, payload, prev, h, sig))
        prev = h


def sync_state_agrees(con):
    head = con.execute("SELECT COALESCE(max(seq), 0) FROM journal").fetchone()[0]
    con.execute("UPDATE sync_state SET acked_seq = min(acked_seq, ?)", (head,))
    con.execute("UPDATE sync_state SET head_hash = COALESCE((SELECT lower(hex(hash)) "
                "FROM journal WHERE seq = sync_state.acked_seq), '')")


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    db, cmd = argv[1], argv[2]
    state = "--sync-state" in argv
    key = None if "--unsigned" in argv else signer(db)
    args = [a for a in argv[3:] if a not in ("--sync-state", "--unsigned")]
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    drop_guards(con)
    rows = con.execute("SELECT terminal_id, type, at, user_id, payload FROM journal "
                       "ORDER BY seq").fetchall()
    if cmd == "rewrite":
        seq, old, new = int(args[0]), args[1], args[2]
        term, typ, at, user, payload = rows[seq - 1]
        if old not in payload:
            sys.exit(f"tamper.py: event {seq} has no '{old}'")
        rows[seq - 1] = (term, typ, at, user, payload.replace(old, new))
    elif cmd == "drop":
        seq = int(args[0])
        delete_sale(con, seq)
        del rows[seq - 1]
        # In two steps, so that no UNIQUE journal_seq meets its neighbour.
        for t in seq_tables(con):
            con.execute(f"UPDATE {t} SET journal_seq = journal_seq + 1000000000 "
                        "WHERE journal_seq > ?", (seq,))
            con.execute(f"UPDATE {t} SET journal_seq = journal_seq - 1000000001 "
                        "WHERE journal_seq > 1000000000")
    elif cmd == "truncate":
        n = int(args[0])
        for seq in range(n + 1, len(rows) + 1):
            delete_sale(con, seq)
        rows = rows[:n]
    else:
        sys.exit(__doc__)
    rewrite_chain(con, rows, key)
    if state:
        sync_state_agrees(con)
    con.execute("COMMIT")


main(sys.argv)
