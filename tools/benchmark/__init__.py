"""Measure the pages' claims on this machine: `./dev bench` (`python -m tools.benchmark`).

It builds the Rust samples in release mode (`--debug`: the tests' debug builds, for the smoke
tests), then runs each part (`--only` picks some), in this order:

- http: each "Hello, world!" server on 127.0.0.1, one at a time, loaded by wrk (server and
  wrk pinned to different cores where there are two), with a warm-up, a fixed duration and
  connection count, several runs with the servers interleaved: requests/s, latency
  percentiles, errors, peak RSS of the server's process tree, the CPU time of the server and
  of wrk, and each server's ratio to the Rust sample.
- cpu: the prime-counting sample in Rust threads, Python threads and Python processes, and
  Python threads calling the Rust function of the PyO3 sample, for 1, 2 and all cores.
- blocking: how late the heartbeat task of the blocking-in-async sample woke with the
  blocking call in the task and with it moved to a thread.
- frameworks, databases: the Frameworks and Databases pages' services under wrk.
- instructions: instructions per request, counted by valgrind's callgrind.
- reload: the author's loop of `./dev serve` (tools/author_loop.py), for MAINTAINING.md.

Each part writes docs/benchmarks/NAME.json (checked against its schema first), its chart
docs/benchmarks/NAME.svg if it has one, and its tables between the `<!-- bench:... -->`
markers of its page; parts.py lists them all. It is a benchmark, not a test: the figures vary
with the machine and its load.
"""
