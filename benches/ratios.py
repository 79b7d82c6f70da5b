#!/usr/bin/env python3
"""Prints the round-trip and codec benches' results as Markdown tables with ratios.

Reads criterion's `<criterion dir>/roundtrip_*/*/new/{benchmark,estimates}.json`, as left by
`cargo bench -p mcp-sansio-benches --bench roundtrip`. The criterion directory is the first
argument, else `$CARGO_TARGET_DIR/criterion`, else `target/criterion`.

The codec table (from `<criterion dir>/{small_tools_call,tool_result_64k,tools_list_100}/`,
left by `cargo bench -p mcp-sansio-benches --bench codec`) gives per message size the decode and
encode times, MB/s and messages/s, rmcp's time over ours, and ours over the serde_json
borrowed-envelope reference.

For each round-trip case: the time per iteration criterion reports (the slope estimate, or the mean when
there is no slope), the time per round trip (per iteration divided by the number of
concurrent clients), rmcp's time over ours (above 1: ours is faster), and for our smol and
async-std crates their time over our tokio crate's (below 1.2: within 20%).
"""

import json
import os
import sys
from pathlib import Path

CASES = [
    ("roundtrip/in_process", "in-process"),
    ("roundtrip/stdio", "stdio (child process)"),
    ("roundtrip/http_1_client", "Streamable HTTP, 1 client"),
    ("roundtrip/http_16_clients", "Streamable HTTP, 16 clients"),
    ("roundtrip/http_1_client_2proc", "Streamable HTTP, 1 client, server in its own process"),
]
OURS = ["mcp-sansio-tokio", "mcp-sansio-smol", "mcp-sansio-async-std"]
# Extra rows of ours, compared with rmcp only.
EXTRA = ["mcp-sansio-tokio-pipe"]
RMCP = "rmcp-tokio"


def criterion_dir() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    return Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"


def load(root: Path) -> dict:
    """{group_id: {function_id: (ns per iteration, elements per iteration)}}"""
    results: dict = {}
    for bench in root.glob("roundtrip_*/*/new/benchmark.json"):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        point = (estimates.get("slope") or estimates["mean"])["point_estimate"]
        elements = (meta.get("throughput") or {}).get("Elements", 1)
        results.setdefault(meta["group_id"], {})[meta["function_id"]] = (point, elements)
    return results


CODEC = ["small_tools_call", "tool_result_64k", "tools_list_100"]


def load_codec(root: Path) -> dict:
    """{group: {function_id: (ns, bytes)}}"""
    results: dict = {}
    for group in CODEC:
        for bench in (root / group).glob("*/new/benchmark.json"):
            meta = json.loads(bench.read_text())
            estimates = json.loads((bench.parent / "estimates.json").read_text())
            point = (estimates.get("slope") or estimates["mean"])["point_estimate"]
            size = (meta.get("throughput") or {}).get("Bytes", 0)
            results.setdefault(group, {})[meta["function_id"]] = (point, size)
    return results


def print_codec(results: dict) -> None:
    print("| message | operation | mcp-sansio | MB/s | messages/s | rmcp | rmcp ÷ ours | ours ÷ reference |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for group in CODEC:
        runs = results.get(group, {})
        for op in ["decode", "encode"]:
            ours = runs.get(f"{op}/mcp-sansio")
            if not ours:
                continue
            ns, size = ours
            rmcp = runs.get(f"{op}/rmcp")
            ref = runs.get("decode/serde_json-borrowed") if op == "decode" else None
            mbs = size / ns * 1e3 if size else 0
            print(
                f"| {group} | {op} | {fmt_time(ns)} | {mbs:.0f} | {1e9 / ns:,.0f} "
                f"| {fmt_time(rmcp[0]) if rmcp else ''} | {f'{rmcp[0] / ns:.2f}×' if rmcp else ''} "
                f"| {f'{ns / ref[0]:.2f}×' if ref else ''} |"
            )
        typed = runs.get("decode+params/mcp-sansio")
        rmcp = runs.get("decode/rmcp")
        if typed and rmcp:
            print(f"| {group} | decode + typed params | {fmt_time(typed[0])} | | | {fmt_time(rmcp[0])} | {rmcp[0] / typed[0]:.2f}× | |")


def fmt_time(ns: float) -> str:
    return f"{ns / 1000:.1f} µs" if ns >= 1000 else f"{ns:.0f} ns"


def main() -> int:
    root = criterion_dir()
    codec = load_codec(root)
    if codec:
        print_codec(codec)
        print()
    results = load(root)
    if not results:
        print(f"no round-trip results under {root}", file=sys.stderr)
        return 0 if codec else 1
    print("| case | implementation | time / iteration | time / round trip | rmcp ÷ this | this ÷ mcp-sansio-tokio |")
    print("|---|---|---:|---:|---:|---:|")
    for group, label in CASES:
        runs = results.get(group, {})
        rmcp = runs.get(RMCP)
        tokio = runs.get(OURS[0])
        for impl in OURS + EXTRA + [RMCP]:
            if impl not in runs:
                continue
            ns, n = runs[impl]
            vs_rmcp = f"{rmcp[0] / ns:.2f}×" if rmcp and impl != RMCP else ""
            vs_tokio = f"{ns / tokio[0]:.2f}" if tokio and impl in OURS[1:] else ""
            print(f"| {label} | {impl} | {fmt_time(ns)} | {fmt_time(ns / n)} | {vs_rmcp} | {vs_tokio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
