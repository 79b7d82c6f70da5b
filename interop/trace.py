#!/usr/bin/env python3
"""Wire tap for stdio MCP peers (standard library only).

Put it in front of a server command to record every line each way:

    python/client.py all -- python3 trace.py /tmp/wire.log -- <server command> [args...]

Each line of the log is `> ` (client to server) or `< ` (server to client)
followed by the message exactly as it crossed. The server's stderr passes
through. The tap exits with the server's exit status; when the client closes
stdin, the server's stdin is closed too.
"""

from __future__ import annotations

import subprocess
import sys
import threading


def main() -> int:
    argv = sys.argv[1:]
    if len(argv) < 3 or argv[1] != "--":
        print("usage: trace.py LOGFILE -- <server command> [args...]", file=sys.stderr)
        return 2
    log_path, command = argv[0], argv[2:]
    log = open(log_path, "a", buffering=1, encoding="utf-8", errors="replace")
    lock = threading.Lock()
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    assert child.stdin is not None and child.stdout is not None

    def record(prefix: str, line: bytes) -> None:
        with lock:
            log.write(prefix + line.decode("utf-8", "replace").rstrip("\r\n") + "\n")

    def pump_in() -> None:
        try:
            for line in sys.stdin.buffer:
                record("> ", line)
                child.stdin.write(line)
                child.stdin.flush()
        except (BrokenPipeError, OSError):
            pass
        finally:
            try:
                child.stdin.close()
            except OSError:
                pass

    threading.Thread(target=pump_in, daemon=True).start()
    out = sys.stdout.buffer
    for line in child.stdout:
        record("< ", line)
        try:
            out.write(line)
            out.flush()
        except BrokenPipeError:
            break
    return child.wait()


if __name__ == "__main__":
    sys.exit(main())
