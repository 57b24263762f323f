#!/usr/bin/env python3
"""An independent Barecat writer, written from FORMAT.md with the Python standard library only.

Usage:
  independent_writer.py build SRC_DIR ARCHIVE   write a fixed tree to SRC_DIR (files, modes, mtimes) and the
                                                same tree as a Barecat archive in the older style: index named
                                                ARCHIVE-sqlite-index, no triggers (use_triggers 0), some dirs
                                                rows missing, unused gaps between files, several shards
  independent_writer.py edit ARCHIVE           as another program would later: open the index with
                                                recursive_triggers and foreign_keys on, append one file
                                                (bytes at the end of the last shard) and delete another
  independent_writer.py hostile ARCHIVE        an archive whose rows try to escape a target directory
  independent_writer.py schema ARCHIVE         print the index's tables, columns, indexes, triggers, config
"""
import json
import os
import sqlite3
import sys

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

# path, content, mode (permission bits), mtime in ns
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
SCHEMA = """
CREATE TABLE dirs (path TEXT NOT NULL,
  parent TEXT GENERATED ALWAYS AS (CASE WHEN path = '' THEN NULL ELSE rtrim(rtrim(path, replace(path, '/', '')), '/') END) VIRTUAL,
  num_subdirs INTEGER DEFAULT 0, num_files INTEGER DEFAULT 0, num_files_tree INTEGER DEFAULT 0, size_tree INTEGER DEFAULT 0,
  mode INTEGER DEFAULT NULL, uid INTEGER DEFAULT NULL, gid INTEGER DEFAULT NULL, mtime_ns INTEGER DEFAULT NULL);
CREATE TABLE files (path TEXT NOT NULL,
  parent TEXT GENERATED ALWAYS AS (rtrim(rtrim(path, replace(path, '/', '')), '/')) VIRTUAL NOT NULL,
  shard INTEGER NOT NULL, offset INTEGER NOT NULL, size INTEGER DEFAULT 0, crc32c INTEGER DEFAULT NULL,
  mode INTEGER DEFAULT NULL, uid INTEGER DEFAULT NULL, gid INTEGER DEFAULT NULL, mtime_ns INTEGER DEFAULT NULL);
CREATE TABLE config (key TEXT PRIMARY KEY, value_text TEXT DEFAULT NULL, value_int INTEGER DEFAULT NULL) WITHOUT ROWID;
CREATE UNIQUE INDEX idx_files_path ON files (path);
CREATE UNIQUE INDEX idx_dirs_path ON dirs (path);
CREATE INDEX idx_files_parent ON files (parent);
CREATE INDEX idx_dirs_parent ON dirs (parent);
CREATE INDEX idx_files_shard_offset ON files (shard, offset);
"""


def parent(path):
    return path.rsplit("/", 1)[0] if "/" in path else ""


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

    db = sqlite3.connect(archive + "-sqlite-index")
    db.executescript(SCHEMA)
    db.execute("INSERT INTO config (key, value_int) VALUES ('use_triggers', 0), ('shard_size_limit', ?),"
               " ('schema_version_major', 0), ('schema_version_minor', 3)", (SHARD_LIMIT,))
    shard, pos, out = 0, 0, open(archive + "-shard-00000", "wb")
    for i, (path, data, mode, mtime) in enumerate(FILES):
        gap = 7 * (i % 3)  # unused bytes between files, as deleted files leave them
        if pos > 0 and pos + gap + len(data) > SHARD_LIMIT:
            out.close()
            shard, pos = shard + 1, 0
            out = open(archive + "-shard-%05d" % shard, "wb")
        out.write(b"\0" * gap)
        pos += gap
        out.write(data)
        db.execute("INSERT INTO files (path, shard, offset, size, crc32c, mode, uid, gid, mtime_ns)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (path, shard, pos, len(data), crc32c(data), 0o100000 | mode, uid, gid, mtime))
        pos += len(data)
    out.write(b"trailing garbage that belongs to no file")
    out.close()
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
    db.execute("INSERT INTO files (path, shard, offset, size, crc32c, mode, mtime_ns) VALUES (?, ?, ?, ?, ?, ?, ?)",
               ("later/added.txt", shard, offset, len(data), crc32c(data), 0o100644, 1_700_000_000_000_000_000))
    db.execute("DELETE FROM files WHERE path = (SELECT path FROM files ORDER BY path LIMIT 1)")
    db.commit()
    db.close()


HOSTILE = ["../escape.txt", "/abs.txt", "a//b.txt", "a/./c.txt", "a/../../up.txt", "", "good.txt",
           "sub/ok.txt", "link/through.txt"]


def hostile(archive):
    db = sqlite3.connect(archive)
    db.executescript(SCHEMA)
    db.execute("INSERT INTO config (key, value_int) VALUES ('use_triggers', 0), ('schema_version_major', 0),"
               " ('schema_version_minor', 3)")
    data = b"pwned\n"
    with open(archive + "-shard-00000", "wb") as f:
        f.write(data)
    for path in HOSTILE:
        db.execute("INSERT INTO files (path, shard, offset, size, crc32c) VALUES (?, 0, 0, ?, ?)",
                   (path, len(data), crc32c(data)))
    db.execute("INSERT INTO dirs (path) VALUES (''), ('../dir'), ('sub'), ('link')")
    db.commit()
    db.close()


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


if __name__ == "__main__":
    if sys.argv[1] == "build":
        build(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "edit":
        edit(sys.argv[2])
    elif sys.argv[1] == "hostile":
        hostile(sys.argv[2])
    elif sys.argv[1] == "schema":
        schema(sys.argv[2])
    else:
        sys.exit(__doc__)
