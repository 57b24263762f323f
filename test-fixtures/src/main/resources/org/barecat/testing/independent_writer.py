#!/usr/bin/env python3
"""An independent Barecat writer, written from docs/FORMAT.md with the Python standard library only,
so the Java reader and tools are tested against archives made by another program than their own.
The index schemas come from the schema-0.2.sql and schema-0.3.sql beside this script.

Usage:
  independent_writer.py write SOURCE ARCHIVE [--legacy-name] [--schema 0.2|0.3] [--drop-dirs]
                              [--gaps] [--shard-limit BYTES]
                  an archive of the directory SOURCE:
                  --legacy-name   index at ARCHIVE-sqlite-index instead of ARCHIVE
                  --schema 0.2    WITHOUT ROWID tables keyed by path (0.3: rowid tables, unique indexes)
                  --drop-dirs     statistics never written: only every other directory gets a dirs row
                                  and the root gets none, so most directories exist only as parents
                  --gaps          random junk bytes between files in the shards
                  --shard-limit   start a new shard before one would pass this many bytes
  independent_writer.py build SRC_DIR ARCHIVE
                  a fixed tree written to SRC_DIR (files, modes, mtimes) and the same tree as an archive
                  in the older style: index named ARCHIVE-sqlite-index, some dirs rows missing, unused
                  gaps between files, several shards, trailing bytes no file owns
  independent_writer.py edit ARCHIVE
                  as another program would later: open the index with recursive_triggers and foreign_keys
                  on, append one file (bytes at the end of the last shard) and delete another
  independent_writer.py hostile ARCHIVE
                  an archive whose rows try to escape a target directory
  independent_writer.py read ARCHIVE
                  every file of ARCHIVE, read from its shard (links followed) and checked against its
                  CRC-32C: one line per file, sorted by path, "PATH<TAB>SIZE<TAB>SHA-256"; exit 1 on a
                  checksum that does not match or a shard too short
  independent_writer.py schema ARCHIVE
                  print the index's tables, columns, indexes, triggers and config as JSON
  independent_writer.py large ARCHIVE BIG_SIZE PROBE...
                  an archive holding one file larger than 4 GiB in a sparse shard 0:
                      offset 0      small/first.txt   text
                      offset 1003   big/huge.bin      BIG_SIZE bytes: zeros, but "<%014d>" % p (16 bytes)
                                                      at each probe offset p
                      right after   small/after.txt   text (so its own offset is past 2^32)
"""
import argparse
import json
import os
import random
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CRC_TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    CRC_TABLE.append(c)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = CRC_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283


def parent(path):
    return path.rsplit("/", 1)[0] if "/" in path else ""


def new_index(index_path, version, shard_limit=None, use_triggers=0):
    """An index with the tables of schema VERSION and its config rows."""
    db = sqlite3.connect(index_path)
    with open(os.path.join(HERE, f"schema-{version}.sql"), encoding="utf-8") as f:
        db.executescript(f.read())
    major, minor = version.split(".")
    config = [("use_triggers", use_triggers), ("schema_version_major", int(major)),
              ("schema_version_minor", int(minor))]
    if shard_limit is not None:
        config.append(("shard_size_limit", shard_limit))
    db.executemany("INSERT INTO config (key, value_int) VALUES (?, ?)", config)
    return db


class Shards:
    """Shard files ARCHIVE-shard-NNNNN, a new one started before one would pass the limit."""

    def __init__(self, archive, limit):
        self.archive, self.limit = archive, limit
        self.number, self.out, self.position = -1, None, 0

    def add(self, data, gap=b""):
        """Writes GAP then DATA; returns (shard, offset) of DATA."""
        if self.out is None or (self.position > 0 and self.position + len(gap) + len(data) > self.limit):
            self.close()
            self.number += 1
            self.out = open("%s-shard-%05d" % (self.archive, self.number), "wb")
            self.position = 0
        self.out.write(gap + data)
        offset = self.position + len(gap)
        self.position = offset + len(data)
        return self.number, offset

    def close(self, trailing=b""):
        if self.out:
            self.out.write(trailing)
            self.out.close()
            self.out = None


def insert_file(db, path, location, data, mode, uid, gid, mtime_ns):
    db.execute("INSERT INTO files (path, shard, offset, size, crc32c, mode, uid, gid, mtime_ns)"
               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (path, location[0], location[1], len(data), crc32c(data), mode, uid, gid, mtime_ns))


def write(argv):
    ap = argparse.ArgumentParser(prog="independent_writer.py write")
    ap.add_argument("source")
    ap.add_argument("archive")
    ap.add_argument("--legacy-name", action="store_true")
    ap.add_argument("--schema", default="0.3", choices=["0.2", "0.3"])
    ap.add_argument("--drop-dirs", action="store_true")
    ap.add_argument("--gaps", action="store_true")
    ap.add_argument("--shard-limit", type=int, default=2**63 - 1)
    args = ap.parse_args(argv)
    db = new_index(args.archive + ("-sqlite-index" if args.legacy_name else ""), args.schema, args.shard_limit)
    rng = random.Random(7)
    shards = Shards(args.archive, args.shard_limit)
    dir_number = 0
    for root, dirnames, filenames in os.walk(args.source):
        dirnames.sort()
        rel_dir = os.path.relpath(root, args.source)
        rel_dir = "" if rel_dir == "." else rel_dir
        st = os.lstat(root)
        dir_number += 1
        if not args.drop_dirs or (rel_dir != "" and dir_number % 2 == 0):
            db.execute("INSERT INTO dirs (path, mode, uid, gid, mtime_ns) VALUES (?, ?, ?, ?, ?)",
                       (rel_dir, st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns))
        for name in sorted(filenames):
            full = os.path.join(root, name)
            with open(full, "rb") as f:
                data = f.read()
            gap = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300))) if args.gaps else b""
            st = os.lstat(full)
            insert_file(db, os.path.join(rel_dir, name) if rel_dir else name, shards.add(data, gap), data,
                        st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns)
    if not args.drop_dirs:
        # statistics in one pass at the end, as a writer with triggers off must do
        db.execute("UPDATE dirs SET num_files = (SELECT count(*) FROM files f WHERE f.parent = dirs.path),"
                   " num_subdirs = (SELECT count(*) FROM dirs d WHERE d.parent = dirs.path),"
                   " num_files_tree = (SELECT count(*) FROM files f WHERE dirs.path = ''"
                   "   OR f.path LIKE replace(replace(dirs.path, '%', '\\%'), '_', '\\_') || '/%' ESCAPE '\\'),"
                   " size_tree = (SELECT coalesce(sum(size), 0) FROM files f WHERE dirs.path = ''"
                   "   OR f.path LIKE replace(replace(dirs.path, '%', '\\%'), '_', '\\_') || '/%' ESCAPE '\\')")
    shards.close()
    db.commit()
    db.close()


# build's tree: path, content, mode (permission bits), mtime in ns
FILES = [
    ("README", b"top level file\n", 0o644, 1_600_000_000_123_456_789),
    ("data/train/cat/001.jpg", bytes(range(256)) * 40, 0o640, 1_650_000_000_000_000_001),
    ("data/train/cat/002.jpg", b"\xff\xd8" + b"x" * 5000, 0o600, 1_650_000_001_000_000_000),
    ("data/train/dog/001.jpg", b"woof" * 3000, 0o644, 1_650_000_002_500_000_000),
    ("data/val/cat/003.jpg", b"", 0o644, 1_650_000_003_000_000_000),
    ("data/val/name with spaces & 'quotes' %#.txt", "ünïcödé ✓\n".encode(), 0o755, 1_700_000_000_000_000_000),
    ("notes/-leading-dash", b"-\n", 0o444, 1_700_000_001_000_000_000),
    ("notes/日本語/ファイル.txt", "こんにちは\n".encode(), 0o644, 1_700_000_002_000_000_000),
]
# directories (besides the root) that get a dirs row; the others exist only as parents of files
DIR_ROWS = {"data": 0o755, "data/train": 0o750, "data/train/cat": 0o755, "notes/日本語": 0o700}
DIR_MTIME = 1_690_000_000_000_000_000
SHARD_LIMIT = 12_000


def build(src, archive):
    uid, gid = os.getuid(), os.getgid()
    for path, data, mode, mtime in FILES:
        p = os.path.join(src, path)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)
        os.chmod(p, mode)
        os.utime(p, ns=(mtime, mtime))
    all_dirs = {""}
    for path, *_ in FILES:
        d = parent(path)
        while d not in all_dirs:
            all_dirs.add(d)
            d = parent(d)
    for d in sorted(all_dirs, key=lambda x: -x.count("/") - (x != "")):
        if d in DIR_ROWS:
            os.chmod(os.path.join(src, d), DIR_ROWS[d])
        os.utime(os.path.join(src, d) if d else src, ns=(DIR_MTIME, DIR_MTIME))

    db = new_index(archive + "-sqlite-index", "0.3", SHARD_LIMIT)
    shards = Shards(archive, SHARD_LIMIT)
    for i, (path, data, mode, mtime) in enumerate(FILES):
        gap = b"\0" * (7 * (i % 3))  # unused bytes between files, as deleted files leave them
        insert_file(db, path, shards.add(data, gap), data, 0o100000 | mode, uid, gid, mtime)
    shards.close(trailing=b"trailing garbage that belongs to no file")
    # statistics, right for the rows that exist (num_subdirs counts rows, as the Python barecat does)
    rows = [""] + sorted(DIR_ROWS)
    for d in rows:
        below = [f for f in FILES if d == "" or f[0].startswith(d + "/")]
        direct = [f for f in FILES if parent(f[0]) == d]
        subdirs = [r for r in rows if r != "" and parent(r) == d]
        mode = 0o40000 | DIR_ROWS.get(d, 0o755)
        db.execute("INSERT INTO dirs (path, num_subdirs, num_files, num_files_tree, size_tree, mode, uid, gid,"
                   " mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (d, len(subdirs), len(direct), len(below), sum(len(f[1]) for f in below), mode, uid, gid,
                    DIR_MTIME))
    db.commit()
    db.close()


def edit(archive):
    index = archive if os.path.exists(archive) else archive + "-sqlite-index"
    db = sqlite3.connect(index)
    db.execute("PRAGMA recursive_triggers = ON")
    db.execute("PRAGMA foreign_keys = ON")
    shard = db.execute("SELECT max(shard) FROM files").fetchone()[0] or 0
    name = archive + "-shard-%05d" % shard
    data = b"added by another program\n"
    offset = os.path.getsize(name)
    with open(name, "ab") as f:
        f.write(data)
    insert_file(db, "later/added.txt", (shard, offset), data, 0o100644, None, None, 1_700_000_000_000_000_000)
    db.execute("DELETE FROM files WHERE path = (SELECT path FROM files ORDER BY path LIMIT 1)")
    db.commit()
    db.close()


HOSTILE = ["../escape.txt", "/abs.txt", "a//b.txt", "a/./c.txt", "a/../../up.txt", "", "good.txt",
           "sub/ok.txt", "link/through.txt"]


def hostile(archive):
    db = new_index(archive, "0.3")
    data = b"pwned\n"
    with open(archive + "-shard-00000", "wb") as f:
        f.write(data)
    for path in HOSTILE:
        db.execute("INSERT INTO files (path, shard, offset, size, crc32c) VALUES (?, 0, 0, ?, ?)",
                   (path, len(data), crc32c(data)))
    db.execute("INSERT INTO dirs (path) VALUES (''), ('../dir'), ('sub'), ('link')")
    db.commit()
    db.close()


def read(archive):
    import hashlib
    index = archive if os.path.isfile(archive) else archive + "-sqlite-index"
    db = sqlite3.connect("file:" + index + "?mode=ro&immutable=1", uri=True)
    bad = 0
    for path, shard, offset, size, crc in db.execute(
            "SELECT path, shard, offset, size, crc32c FROM files ORDER BY path"):
        with open("%s-shard-%05d" % (archive, shard), "rb") as f:
            f.seek(offset)
            data = f.read(size)
        if len(data) != size or (crc is not None and crc32c(data) != crc):
            print("BAD %s" % path, file=sys.stderr)
            bad += 1
        print("%s\t%d\t%s" % (path, size, hashlib.sha256(data).hexdigest()))
    db.close()
    sys.exit(1 if bad else 0)


def schema(archive):
    db = sqlite3.connect("file:" + archive + "?mode=ro", uri=True)
    facts = {
        "columns": {t: [[r[1], r[6]] for r in db.execute("SELECT * FROM pragma_table_xinfo(?)", (t,))]
                    for t in ("files", "dirs", "config")},
        "indexes": sorted([r[0], r[1], r[2]] for r in db.execute(
            "SELECT name, tbl_name, (SELECT \"unique\" FROM pragma_index_list(m.tbl_name) WHERE name = m.name)"
            " FROM sqlite_master m WHERE type = 'index' AND name LIKE 'idx_%'")),
        "index_columns": {r[0]: [c[2] for c in db.execute("SELECT * FROM pragma_index_info(?)", (r[0],))]
                          for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'")},
        "triggers": sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")),
        "config": {r[0]: r[1] for r in db.execute("SELECT key, value_int FROM config")},
        "without_rowid_config": "WITHOUT ROWID" in db.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'config'").fetchone()[0].upper(),
    }
    print(json.dumps(facts, sort_keys=True))


LARGE_FIRST = b"the first file, before the big one\n" * 20
LARGE_AFTER = b"the last file, past 2^32 in its shard\n" * 20
LARGE_BIG_OFFSET = 1003
LARGE_MTIME_NS = 1700000000123456789


def large(archive, big_size, *probes):
    big_size, after_offset = int(big_size), LARGE_BIG_OFFSET + int(big_size)
    with open(archive + "-shard-00000", "wb") as shard:
        shard.write(LARGE_FIRST)
        shard.truncate(after_offset)  # sparse: no blocks for the zeros
        for p in map(int, probes):
            shard.seek(LARGE_BIG_OFFSET + p)
            shard.write(b"<%014d>" % p)
        shard.seek(after_offset)
        shard.write(LARGE_AFTER)
    db = new_index(archive, "0.3", 2**63 - 1)
    rows = [("small/first.txt", 0, len(LARGE_FIRST), crc32c(LARGE_FIRST)),
            ("big/huge.bin", LARGE_BIG_OFFSET, big_size, None),
            ("small/after.txt", after_offset, len(LARGE_AFTER), crc32c(LARGE_AFTER))]
    db.executemany("INSERT INTO files (path, shard, offset, size, crc32c, mode, mtime_ns)"
                   f" VALUES (?, 0, ?, ?, ?, {0o100644}, {LARGE_MTIME_NS})", rows)
    db.executemany("INSERT INTO dirs (path, num_subdirs, num_files, num_files_tree, size_tree, mode, mtime_ns)"
                   f" VALUES (?, ?, ?, ?, ?, {0o40755}, {LARGE_MTIME_NS})",
                   [("", 2, 0, 3, sum(r[2] for r in rows)), ("big", 0, 1, 1, big_size),
                    ("small", 0, 2, 2, len(LARGE_FIRST) + len(LARGE_AFTER))])
    db.commit()
    db.close()


if __name__ == "__main__":
    import sys
    commands = {"write": lambda a: write(a), "build": lambda a: build(*a), "edit": lambda a: edit(*a),
                "hostile": lambda a: hostile(*a), "read": lambda a: read(*a), "schema": lambda a: schema(*a), "large": lambda a: large(*a)}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    commands[sys.argv[1]](sys.argv[2:])
