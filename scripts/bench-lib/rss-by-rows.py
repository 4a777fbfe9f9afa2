"""RSS of `provisioner run` by rows processed: python3 scripts/bench-lib/rss-by-rows.py 1000 5000 20000 40000
(uncapped, zero-latency stand-in; prints rows, exit, wall s, CPU s, peak RSS MiB)."""
import sys, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness
h = harness.Harness()
try:
    si = h.standin("--no-keep-sessions")
    for n in [int(a) for a in sys.argv[1:]]:
        h.cluster.reset(); h.cluster.add_rows(n)
        extra = os.environ.get("EXTRA", "").split()
        r = h.run(si, "--rate", "60000000", "--headroom", "0", *extra)
        print(n, r.code, r.wall, r.cpu, r.max_rss_kib/1024, flush=True)
finally:
    h.close()
