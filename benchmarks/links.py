"""Benchmark of ``emocat links``: 500 URLs against local servers that delay every reply by 100 ms.

Not a test: it prints wall times against the serial sum (500 x 100 ms = 50 s). Two layouts:
- 500 URLs spread over 8 hosts (127.0.0.1 to 127.0.0.8, all loopback on Linux): the overall bound
  (default concurrency, 16) is what limits, so the ideal is 50 s / 16;
- 500 URLs on one host: the per-host bound (4) limits, so the ideal is 50 s / 4.

Run: .venv/bin/python benchmarks/links.py [--urls 500] [--delay 0.1]
"""

from __future__ import annotations

import argparse
import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from emocat.links import DEFAULT_CONCURRENCY, DEFAULT_PER_HOST, Settings, check_urls


def serve(host: str, delay: float) -> ThreadingHTTPServer:
    class Slow(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_HEAD(self) -> None:
            time.sleep(delay)
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        do_GET = do_HEAD

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((host, 0), Slow)
    server.daemon_threads = True
    server.request_queue_size = 128
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def run(urls: list[str]) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    results = asyncio.run(check_urls(urls, Settings()))
    elapsed = time.perf_counter() - started
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return elapsed, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=500)
    parser.add_argument("--delay", type=float, default=0.1)
    args = parser.parse_args()
    serial = args.urls * args.delay

    servers = [serve(f"127.0.0.{i}", args.delay) for i in range(1, 9)]
    try:
        spread = [
            f"http://{servers[i % 8].server_address[0]}:{servers[i % 8].server_address[1]}/paper/{i}"
            for i in range(args.urls)
        ]
        one_host = [f"http://127.0.0.1:{servers[0].server_address[1]}/paper/{i}" for i in range(args.urls)]
        print(f"{args.urls} URLs, each reply delayed {args.delay * 1000:.0f} ms; serial sum {serial:.1f} s")
        print(f"defaults: concurrency {DEFAULT_CONCURRENCY}, {DEFAULT_PER_HOST} per host")
        for label, urls, bound in (
            ("8 hosts", spread, DEFAULT_CONCURRENCY),
            ("1 host ", one_host, DEFAULT_PER_HOST),
        ):
            elapsed, counts = run(urls)
            print(
                f"{label}: {elapsed:6.2f} s wall  = serial / {serial / elapsed:5.1f}"
                f"  (ideal serial / {bound}: {serial / bound:.2f} s)  statuses {counts}"
            )
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main()
