#!/usr/bin/python3
"""What Python programs see of a tree, one sorted line per entry, paths relative to ROOT.

usage: python_views.py walk ROOT   os.walk, os.scandir (entry types from readdir, then stat) and open
       python_views.py pil ROOT    PIL Image.open of every .jpg: format, mode, size, pixel SHA-256
"""
import hashlib
import os
import sys


def walk(root):
    lines = []
    for top, dirs, files in os.walk(root):
        rel = os.path.relpath(top, root)
        lines.append(f"walk {rel} dirs={sorted(dirs)} files={sorted(files)}")
        with os.scandir(top) as entries:
            for entry in entries:
                path = os.path.relpath(entry.path, root)
                st = entry.stat(follow_symlinks=False)
                common = f"{oct(st.st_mode)} {st.st_uid}:{st.st_gid} {st.st_mtime_ns}"
                if entry.is_dir(follow_symlinks=False):
                    lines.append(f"dir {path} {common} nlink={st.st_nlink}")
                elif entry.is_file(follow_symlinks=False):
                    digest = hashlib.sha256()
                    with open(entry.path, "rb") as f:
                        for block in iter(lambda: f.read(1 << 16), b""):
                            digest.update(block)
                    lines.append(f"file {path} {common} size={st.st_size} sha256={digest.hexdigest()}")
                else:
                    lines.append(f"other {path}")
    return lines


def pil(root):
    from PIL import Image
    lines = []
    for top, _, files in os.walk(root):
        for name in files:
            if name.endswith(".jpg"):
                path = os.path.join(top, name)
                with Image.open(path) as image:
                    pixels = hashlib.sha256(image.tobytes()).hexdigest()
                    lines.append(f"{os.path.relpath(path, root)} {image.format} {image.mode} {image.size} {pixels}")
    return lines


if __name__ == "__main__":
    view = {"walk": walk, "pil": pil}[sys.argv[1]]
    print("\n".join(sorted(view(sys.argv[2]))))
