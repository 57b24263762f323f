-- The older index of schema 0.2: WITHOUT ROWID tables keyed by path, no unique indexes, no triggers.
CREATE TABLE files (path TEXT PRIMARY KEY NOT NULL,
  parent TEXT GENERATED ALWAYS AS (rtrim(rtrim(path, replace(path, '/', '')), '/')) VIRTUAL NOT NULL,
  shard INTEGER NOT NULL, offset INTEGER NOT NULL, size INTEGER DEFAULT 0, crc32c INTEGER DEFAULT NULL,
  mode INTEGER DEFAULT NULL, uid INTEGER DEFAULT NULL, gid INTEGER DEFAULT NULL, mtime_ns INTEGER DEFAULT NULL) WITHOUT ROWID;
CREATE TABLE dirs (path TEXT PRIMARY KEY,
  parent TEXT GENERATED ALWAYS AS (CASE WHEN path = '' THEN NULL ELSE rtrim(rtrim(path, replace(path, '/', '')), '/') END) VIRTUAL,
  num_subdirs INTEGER DEFAULT 0, num_files INTEGER DEFAULT 0, num_files_tree INTEGER DEFAULT 0, size_tree INTEGER DEFAULT 0,
  mode INTEGER DEFAULT NULL, uid INTEGER DEFAULT NULL, gid INTEGER DEFAULT NULL, mtime_ns INTEGER DEFAULT NULL) WITHOUT ROWID;
CREATE TABLE config (key TEXT PRIMARY KEY, value_text TEXT, value_int INTEGER) WITHOUT ROWID;
CREATE INDEX idx_files_parent ON files (parent);
CREATE INDEX idx_dirs_parent ON dirs (parent);
CREATE INDEX idx_files_shard_offset ON files (shard, offset);
