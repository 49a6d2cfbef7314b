#!/usr/bin/env python3
"""Independent GS1 arithmetic for test_core_gtin_outside.c.

Written apart from pos/core/barcode.c, from the GS1 General Specifications
(7.9.1 check digit: weights 3 and 1 on the GTIN-14 form, from the left;
7.9.3 and 7.9.4 price/weight check digits), to cross-check the C code on
many random codes. Prints one case per line:
  G <input> <key or -> : a GTIN-length number and its catalogue key
                         ("-" when its check digit is wrong)
  V <digits> <digit>   : the price/weight verifier of 4 or 5 digits
  L <label> <price or -> : a label of template PPIIIIVRRRRRC (prefix 23)
                           and the price it carries ("-": refused)
"""
import random
import sys


def gtin14_check(body13):
    """Check digit of a GTIN-14 body (13 digits): weights 3,1,3,... from the left."""
    total = sum(int(c) * (3 if i % 2 == 0 else 1) for i, c in enumerate(body13))
    return str((10 - total % 10) % 10)


def valid(code):
    full = code.rjust(14, "0")
    return gtin14_check(full[:13]) == full[13]


def key(code):
    full = code.rjust(14, "0")
    return full[1:] if full[0] == "0" else full


# 7.9.3: the weighted product tables, spelled out as in the specification.
def two_minus(d):
    p = 2 * d
    return (p % 10 - p // 10) % 10


def three(d):
    return (3 * d) % 10


def five_plus(d):
    p = 5 * d
    return (p % 10 + p // 10) % 10


def five_minus(d):
    p = 5 * d
    return (p % 10 - p // 10) % 10


def verifier(digits):
    d = [int(c) for c in digits]
    if len(d) == 4:
        s = two_minus(d[0]) + two_minus(d[1]) + three(d[2]) + five_minus(d[3])
        return str((s * 3) % 10)
    s = five_plus(d[0]) + two_minus(d[1]) + five_minus(d[2]) + five_plus(d[3]) + two_minus(d[4])
    need = -s % 10
    return str(next(c for c in range(10) if five_minus(c) == need))


def ean13_check(body12):
    return gtin14_check("0" + body12)


def main():
    rnd = random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 17)
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    out = []
    for _ in range(n):
        length = rnd.choice((8, 12, 13, 14))
        body = "".join(rnd.choice("0123456789") for _ in range(length - 1))
        good = body + gtin14_check(body.rjust(13, "0"))
        code = good if rnd.random() < 0.7 else body + rnd.choice("0123456789")
        if valid(code) and len(key(code)) == 13 and key(code).startswith("23"):
            continue  # a label under the test's one template: checked below
        out.append("G %s %s" % (code, key(code) if valid(code) else "-"))
    for _ in range(n // 4):
        width = rnd.choice((4, 5))
        digits = "".join(rnd.choice("0123456789") for _ in range(width))
        out.append("V %s %s" % (digits, verifier(digits)))
    for _ in range(n // 4):
        plu = "".join(rnd.choice("0123456789") for _ in range(4))
        price = "".join(rnd.choice("0123456789") for _ in range(5))
        v = verifier(price)
        if rnd.random() < 0.5:
            i = rnd.randrange(4)  # a misread: two neighbours swapped
            price = price[:i] + price[i + 1] + price[i] + price[i + 2:]
        body = "23" + plu + v + price
        label = body + ean13_check(body)
        out.append("L %s %s" % (label, str(int(price)) if verifier(price) == v else "-"))
    print("\n".join(out))


if __name__ == "__main__":
    main()
