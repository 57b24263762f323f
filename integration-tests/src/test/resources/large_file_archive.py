#!/usr/bin/env python3
"""Writes an archive holding one file larger than 4 GiB, following shared/FORMAT.md with the standard
library only: a sparse shard (truncate) with a 16-byte tag written at each probe offset of the big
file, and the index rows written by hand. Layout of shard 0:

    offset 0      small/first.txt   FIRST bytes of text
    offset 1003   big/huge.bin      BIG_SIZE bytes: zeros, except TAG(p) at each probe offset p
    right after   small/after.txt   AFTER bytes of text (so its own offset is past 2^32)

TAG(p) is "<%014d>" % p (16 ASCII bytes). Probe offsets are given on the command line.

usage: large_file_archive.py ARCHIVE BIG_SIZE PROBE...
"""
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from independent_writer import crc32c, schema  # noqa: E402

FIRST = b"the first file, before the big one\n" * 20
AFTER = b"the last file, past 2^32 in its shard\n" * 20
BIG_OFFSET = 1003
MTIME_NS = 1700000000123456789


def tag(p):
    return b"<%014d>" % p


def main():
    archive, big_size, probes = sys.argv[1], int(sys.argv[2]), [int(p) for p in sys.argv[3:]]
    after_offset = BIG_OFFSET + big_size
    with open(archive + "-shard-00000", "wb") as shard:
        shard.write(FIRST)
        shard.truncate(after_offset)  # sparse: no blocks for the zeros
        for p in probes:
            shard.seek(BIG_OFFSET + p)
            shard.write(tag(p))
        shard.seek(after_offset)
        shard.write(AFTER)
    db = sqlite3.connect(archive)
    for stmt in schema("0.3"):
        db.execute(stmt)
    db.executemany("INSERT INTO config (key, value_int) VALUES (?, ?)",
                   [("use_triggers", 0), ("shard_size_limit", 2**63 - 1),
                    ("schema_version_major", 0), ("schema_version_minor", 3)])
    rows = [("small/first.txt", 0, len(FIRST), crc32c(FIRST)),
            ("big/huge.bin", BIG_OFFSET, big_size, None),
            ("small/after.txt", after_offset, len(AFTER), crc32c(AFTER))]
    db.executemany("INSERT INTO files (path, shard, offset, size, crc32c, mode, mtime_ns)"
                   f" VALUES (?, 0, ?, ?, ?, {0o100644}, {MTIME_NS})", rows)
    total = sum(r[2] for r in rows)
    db.executemany("INSERT INTO dirs (path, num_subdirs, num_files, num_files_tree, size_tree, mode, mtime_ns)"
                   f" VALUES (?, ?, ?, ?, ?, {0o40755}, {MTIME_NS})",
                   [("", 2, 0, 3, total), ("big", 0, 1, 1, big_size),
                    ("small", 0, 2, 2, len(FIRST) + len(AFTER))])
    db.commit()
    db.close()


if __name__ == "__main__":
    main()
