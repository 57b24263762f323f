#!/usr/bin/env python3
"""Writes the index of an archive with many 0-byte files, fast, with the standard library only.

usage: many_files.py ARCHIVE COUNT DIRS
COUNT files named fNNNNNNN.jpg spread evenly over DIRS directories d0000/, d0001/, ...
(DIRS = 1 puts them all in one directory "flat/"). Statistics rows are written; shard 0 is empty.
"""
import sqlite3
import sys

archive, count, ndirs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
PARENT = "rtrim(rtrim(path, replace(path, '/', '')), '/')"
db = sqlite3.connect(archive)
db.executescript(f"""
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE files (path TEXT NOT NULL, parent TEXT GENERATED ALWAYS AS ({PARENT}) VIRTUAL,
  shard INTEGER NOT NULL, offset INTEGER NOT NULL, size INTEGER DEFAULT 0, crc32c INTEGER,
  mode INTEGER, uid INTEGER, gid INTEGER, mtime_ns INTEGER);
CREATE TABLE dirs (path TEXT NOT NULL, parent TEXT GENERATED ALWAYS AS
  (CASE WHEN path = '' THEN NULL ELSE {PARENT} END) VIRTUAL, num_subdirs INTEGER DEFAULT 0,
  num_files INTEGER DEFAULT 0, num_files_tree INTEGER DEFAULT 0, size_tree INTEGER DEFAULT 0,
  mode INTEGER, uid INTEGER, gid INTEGER, mtime_ns INTEGER);
CREATE TABLE config (key TEXT PRIMARY KEY, value_text TEXT, value_int INTEGER) WITHOUT ROWID;
INSERT INTO config (key, value_int) VALUES ('use_triggers', 0), ('shard_size_limit', 9223372036854775807),
  ('schema_version_major', 0), ('schema_version_minor', 3);
""")
names = ["flat"] if ndirs == 1 else [f"d{i:04d}" for i in range(ndirs)]
per_dir = (count + len(names) - 1) // len(names)
db.execute("INSERT INTO dirs (path, num_subdirs, num_files_tree) VALUES ('', ?, ?)", (len(names), count))
db.executemany("INSERT INTO dirs (path, num_files, num_files_tree) VALUES (?, ?, ?)",
               ((n, min(per_dir, count - i * per_dir), min(per_dir, count - i * per_dir))
                for i, n in enumerate(names)))
db.executemany("INSERT INTO files (path, shard, offset, size, crc32c) VALUES (?, 0, 0, 0, 0)",
               ((f"{names[i // per_dir]}/f{i:07d}.jpg",) for i in range(count)))
db.executescript("""
CREATE UNIQUE INDEX idx_files_path ON files (path);
CREATE UNIQUE INDEX idx_dirs_path ON dirs (path);
CREATE INDEX idx_files_parent ON files (parent);
CREATE INDEX idx_dirs_parent ON dirs (parent);
CREATE INDEX idx_files_shard_offset ON files (shard, offset);
""")
db.commit()
db.close()
open(archive + "-shard-00000", "wb").close()
