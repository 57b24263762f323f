#!/usr/bin/env python3
"""Writes a Barecat archive from a directory with nothing but the standard library, following
shared/FORMAT.md, so the Java reader is tested against a writer other than its own.

usage: independent_writer.py SOURCE ARCHIVE [--legacy-name] [--schema 0.2|0.3] [--drop-dirs]
                             [--gaps] [--shard-limit BYTES]

--legacy-name   index at ARCHIVE-sqlite-index instead of ARCHIVE
--schema 0.2    WITHOUT ROWID tables keyed by path (0.3: rowid tables with unique indexes)
--drop-dirs     triggers off and statistics never rebuilt: only every other directory gets a
                dirs row and the root gets none, so most directories exist only as parents
--gaps          random junk bytes between files in the shards
--shard-limit   start a new shard before one would pass this many bytes
"""
import argparse
import os
import random
import sqlite3

PARENT = "rtrim(rtrim(path, replace(path, '/', '')), '/')"


def schema(version):
    without_rowid = " WITHOUT ROWID" if version == "0.2" else ""
    key = " PRIMARY KEY" if version == "0.2" else ""
    meta = "mode INTEGER, uid INTEGER, gid INTEGER, mtime_ns INTEGER"
    stmts = [
        f"CREATE TABLE files (path TEXT NOT NULL{key}, parent TEXT GENERATED ALWAYS AS ({PARENT}) VIRTUAL,"
        f" shard INTEGER NOT NULL, offset INTEGER NOT NULL, size INTEGER DEFAULT 0, crc32c INTEGER, {meta})"
        + without_rowid,
        f"CREATE TABLE dirs (path TEXT NOT NULL{key}, parent TEXT GENERATED ALWAYS AS"
        f" (CASE WHEN path = '' THEN NULL ELSE {PARENT} END) VIRTUAL, num_subdirs INTEGER DEFAULT 0,"
        f" num_files INTEGER DEFAULT 0, num_files_tree INTEGER DEFAULT 0, size_tree INTEGER DEFAULT 0, {meta})"
        + without_rowid,
        "CREATE TABLE config (key TEXT PRIMARY KEY, value_text TEXT, value_int INTEGER) WITHOUT ROWID",
        "CREATE INDEX idx_files_parent ON files (parent)",
        "CREATE INDEX idx_dirs_parent ON dirs (parent)",
        "CREATE INDEX idx_files_shard_offset ON files (shard, offset)",
    ]
    if version != "0.2":
        stmts += ["CREATE UNIQUE INDEX idx_files_path ON files (path)",
                  "CREATE UNIQUE INDEX idx_dirs_path ON dirs (path)"]
    return stmts


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("source")
    ap.add_argument("archive")
    ap.add_argument("--legacy-name", action="store_true")
    ap.add_argument("--schema", default="0.3", choices=["0.2", "0.3"])
    ap.add_argument("--drop-dirs", action="store_true")
    ap.add_argument("--gaps", action="store_true")
    ap.add_argument("--shard-limit", type=int, default=2**63 - 1)
    args = ap.parse_args()
    assert crc32c(b"123456789") == 0xE3069283

    index_path = args.archive + ("-sqlite-index" if args.legacy_name else "")
    db = sqlite3.connect(index_path)
    for stmt in schema(args.schema):
        db.execute(stmt)
    major, minor = args.schema.split(".")
    db.executemany("INSERT INTO config (key, value_int) VALUES (?, ?)",
                   [("use_triggers", 0), ("shard_size_limit", args.shard_limit),
                    ("schema_version_major", int(major)), ("schema_version_minor", int(minor))])
    rng = random.Random(7)
    shard, shard_file, position = -1, None, 0
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
            if shard_file is None or (position > 0 and position + len(gap) + len(data) > args.shard_limit):
                if shard_file:
                    shard_file.close()
                shard += 1
                shard_file = open(f"{args.archive}-shard-{shard:05d}", "wb")
                position = 0
            shard_file.write(gap)
            position += len(gap)
            shard_file.write(data)
            st = os.lstat(full)
            db.execute("INSERT INTO files (path, shard, offset, size, crc32c, mode, uid, gid, mtime_ns)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (os.path.join(rel_dir, name) if rel_dir else name, shard, position, len(data),
                        crc32c(data), st.st_mode, st.st_uid, st.st_gid, st.st_mtime_ns))
            position += len(data)
    if not args.drop_dirs:
        # statistics in one pass at the end, as a writer with triggers off must do
        db.execute("UPDATE dirs SET num_files = (SELECT count(*) FROM files f WHERE f.parent = dirs.path),"
                   " num_subdirs = (SELECT count(*) FROM dirs d WHERE d.parent = dirs.path),"
                   " num_files_tree = (SELECT count(*) FROM files f WHERE dirs.path = ''"
                   "   OR f.path LIKE replace(replace(dirs.path, '%', '\\%'), '_', '\\_') || '/%' ESCAPE '\\'),"
                   " size_tree = (SELECT coalesce(sum(size), 0) FROM files f WHERE dirs.path = ''"
                   "   OR f.path LIKE replace(replace(dirs.path, '%', '\\%'), '_', '\\_') || '/%' ESCAPE '\\')")
    if shard_file:
        shard_file.close()
    db.commit()
    db.close()


if __name__ == "__main__":
    main()
