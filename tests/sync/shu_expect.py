"""The SHU of a year computed independently of coopmart-hq, from what a
test pushed, for tests/sync/hq_shu.sh: prints what `coopmart-hq shu
preview --year Y --csv` must print.

usage: shu_expect.py FACTS MEMBERS YEAR AMOUNT POOLS RULES WAJIB_RATE INACTIVE_AFTER

FACTS: one fact a line, as the test pushed them:
    sale STORE RECEIPT DATE MEMBER|- TOTAL
    return STORE SALE_RECEIPT DATE TOTAL
    dues MEMBER KIND MONTH AMOUNT DATE
MEMBERS: number,name,store (the test's members; every one joined before
    the first wajib month). POOLS: name=bp,name=bp,... RULES: the rules'
    text as coopmart-hq writes it (denominator=...;savings=...;...).
The rules (sync/README.md "SHU"): the business date decides the year; a
return counts in the year of the return, against its sale's member;
shares are rounded down and the rupiah left go by largest remainder, ties
by member number (pools: by name); the non-members' part of turnover goes
last."""
import sys


def largest_remainder(total, weights):
    s = sum(weights)
    if total <= 0 or s == 0:
        return [0] * len(weights)
    out = [total * w // s for w in weights]
    rems = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % s), i))
    for i in rems[: total - sum(out)]:
        out[i] += 1
    return out


def main():
    facts, members_file, year, amount, pools, rules, rate, inactive_after = sys.argv[1:9]
    year, amount, rate, inactive_after = int(year), int(amount), int(rate), int(inactive_after)
    rules = dict(kv.split("=") for kv in rules.split(";"))
    members = [l.rstrip("\n").split(",") for l in open(members_file) if l.strip()]
    members.sort(key=lambda m: m[0].encode())
    nos = [m[0] for m in members]
    sales, returns, dues = [], [], []
    for line in open(facts):
        f = line.split()
        if f[0] == "sale":
            sales.append((f[1], f[2], int(f[3]), f[4], int(f[5])))
        elif f[0] == "return":
            returns.append((f[1], f[2], int(f[3]), int(f[4])))
        elif f[0] == "dues":
            dues.append((f[1], f[2], int(f[3]), int(f[4]), int(f[5])))
    owner = {(s[0], s[1]): s[3] for s in sales}
    bought = {n: 0 for n in nos}
    returned = {n: 0 for n in nos}
    turnover = 0
    for store, receipt, date, member, total in sales:
        if date // 10000 == year:
            turnover += total
            if member in bought:
                bought[member] += total
    for store, receipt, date, total in returns:
        if date // 10000 == year:
            turnover -= total
            m = owner.get((store, receipt))
            if m in returned:
                returned[m] += total
    kinds = {"pokok", "wajib"} | ({"sukarela"} if rules["sukarela"] == "yes" else set())
    balance = {n: [0] * 12 for n in nos}
    wajib_paid = {n: {} for n in nos}
    for member, kind, month, amount_paid, date in dues:
        if member not in balance or date > year * 10000 + 1231:
            continue
        if kind == "wajib":
            wajib_paid[member][month] = wajib_paid[member].get(month, 0) + amount_paid
        if kind in kinds:
            for e in range(12):
                if date // 100 <= year * 100 + e + 1:
                    balance[member][e] += amount_paid
    reduce = {"include": 100, "exclude": 0}.get(rules["inactive"])
    if reduce is None:
        reduce = int(rules["inactive"].split(":")[1])
    rows, uw, mw = [], [], []
    for number, name, store in members:
        owed = sum(1 for m in range(1, 13) if wajib_paid[number].get(year * 100 + m, 0) < rate)
        inactive = owed >= inactive_after
        pct = reduce if inactive else 100
        purchases = max(0, bought[number] - returned[number])
        saved = sum(balance[number]) if rules["savings"] == "monthly-average" else balance[number][11]
        savings = saved // 12 if rules["savings"] == "monthly-average" else saved
        rows.append([number, name, store, "yes" if inactive else "no", pct, bought[number],
                     returned[number], purchases, savings])
        uw.append(purchases * pct)
        mw.append(saved * pct)
    rest = 0
    if rules["denominator"] == "turnover":
        rest = max(0, turnover - sum(r[7] for r in rows)) * 100
    plist = sorted((kv.split("=")[0], int(kv.split("=")[1])) for kv in pools.split(","))
    assert sum(bp for _, bp in plist) == 10000
    pool_amounts = dict(zip([n for n, _ in plist], largest_remainder(amount, [bp for _, bp in plist])))
    usaha = largest_remainder(pool_amounts.get("jasa-usaha", 0), uw + [rest])[:-1]
    modal = largest_remainder(pool_amounts.get("jasa-modal", 0), mw)
    print("number;name;store;inactive;pct;bought;returned;purchases;savings;jasa_usaha;jasa_modal;total")
    for r, u, m in zip(rows, usaha, modal):
        print(";".join(str(x) for x in r + [u, m, u + m]))


if __name__ == "__main__":
    main()
