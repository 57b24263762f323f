#!/usr/bin/env python3
"""Types into barecat shell on a real terminal (a pseudo-terminal of 80 columns) and waits for each
expected text before typing on; prints what the terminal showed, then the exit status.

Usage: pty_session.py PROGRAM ARGS...   (PROGRAM an absolute path)
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios

# each expected text is looked for after the previous one; a prompt is written once the line reader reads keys
STEPS = [
    (b'', b'barecat:/> '),
    (b'cd o\t', b'odd\\ names/'),          # Tab completes a directory, its space escaped
    (b'\n', b'barecat:/odd names> '),
    (b'pwd\n', b'/odd names\r\n'),
    (b'', b'barecat:/odd names> '),
    (b'\x03', b'^C'),                       # Ctrl-C: ^C and a new prompt
    (b'', b'barecat:/odd names> '),
    (b'cat \t', 'ünï/'.encode()),          # Tab lists the directory's entries
    (b'\x15\x04', b''),                     # Ctrl-U clears the line, Ctrl-D on it leaves
]

pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
    os.execv(sys.argv[1], sys.argv[1:])

seen = b''
position = 0


def read_more():
    """Adds what the terminal shows next to seen; False once the program closed it."""
    global seen
    if not select.select([fd], [], [], 120)[0]:
        os.kill(pid, 9)
        sys.exit('nothing more after 120 s: %r' % seen)
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        chunk = b''
    seen += chunk
    return bool(chunk)


for keys, expected in STEPS:
    os.write(fd, keys)
    while seen.find(expected, position) < 0:
        if not read_more():
            sys.exit('ended before %r: %r' % (expected, seen))
    position = seen.find(expected, position) + len(expected)
while read_more():
    pass
status = os.waitpid(pid, 0)[1]
sys.stdout.write(seen.decode('utf-8', 'replace') + '\nexit %d\n' % os.waitstatus_to_exitcode(status))
