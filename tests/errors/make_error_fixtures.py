#!/usr/bin/env python3
"""Writes the small broken files of the error catalogue (tests/errors/catalogue.json) byte for byte.

They start from the bundled, made-up Unshipped Orders sample (CP932) and break it in one way each.
Fixtures too large to commit (a 10 MB field, a 70 KB header) or that need a live database are made
by the test itself; catalogue.json names them with a "make" key instead of a file.
Run from anywhere: python3 tests/errors/make_error_fixtures.py
"""
from pathlib import Path

here = Path(__file__).resolve().parent
out = here / "fixtures"
sample = (here.parent.parent / "data" / "samples" / "2026-10-10_unshipped.txt").read_bytes()
lines = sample.split(b"\n")
header, row1, row2 = lines[0], lines[1], lines[2]
assert header.startswith(b"order-id\t")


def write(name, data):
    (out / name).write_bytes(data)


def with_field(row, index, value):
    fields = row.split(b"\t")
    fields[index] = value
    return b"\t".join(fields)


def good(*rows):
    return b"\n".join([header, *rows]) + b"\n"


write("empty.txt", b"")
write("header_only.txt", header + b"\n")
write("unknown_layout.txt", b"sku\tasin\tprice\tquantity\nSZ-MUG-01\tB0SZMUG001\t1800\t4\n")
# An Excel workbook renamed to .txt: a ZIP signature and then compressed bytes.
write("excel_workbook.txt", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 4)
# The download stopped in the middle of the second row.
# (cut after the sixth field, so that every byte present is whole ASCII).
write("truncated_row.txt", header + b"\n" + row1 + b"\n" + b"\t".join(row2.split(b"\t")[:6]))
# ... and right after the lead byte of a CP932 character (the buyer name's first byte >= 0x81).
name_start = row2.index(b"\t", row2.index(b"@")) + 1
assert row2[name_start] >= 0x81
write("cut_cp932_character.txt", header + b"\n" + row1 + b"\n" + row2[: name_start + 1])
write("wrong_column_count.txt", good(row1, b"\t".join(row2.split(b"\t")[:-5])))
write("impossible_date.txt", good(row1, with_field(row2, 2, b"2026-02-30T12:14:05+00:00")))
write("malformed_order_id.txt", good(row1, with_field(row2, 0, b"503-241778-6630118")))
write("excel_mangled_ids.txt", good(row1, with_field(row2, 1, b"7.29385E+12")))
write("nul_bytes.txt", good(row1, row2[:40] + b"\x00\x00\x00" + row2[40:]))
# One row pasted in from a UTF-8 copy of the report.
write("mixed_encodings.txt", good(row1, row2.decode("cp932").encode("utf-8")))
# Saved as "Unicode" by a tool that wrote no byte order mark.
write("utf16_without_bom.txt", good(row1).decode("cp932").encode("utf-16-le"))
write("not_a_database.db", b"order-id\tsku\n503-2417785-6630118\tSZ-MUG-01\n")
print("wrote", len(list(out.iterdir())), "fixtures to", out)
