"""Profiles one uncapped run: python3 scripts/bench-lib/profile-run.py perf|callgrind ROWS OUTDIR
(perf record -F 999 -g; then perf report -i OUTDIR/perf.data --children -g none --sort sym | swift demangle).
valgrind 3.19 (Debian 12) cannot run the Swift 6.3 binary: DWARF 5 forms unhandled, and with the debug info
stripped it dies with SIGSEGV inside valgrind; perf is what works here."""
import sys, os, subprocess
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness
h = harness.Harness()
tool = sys.argv[1]; n = int(sys.argv[2]); outdir = sys.argv[3]
try:
    si = h.standin("--no-keep-sessions")
    h.cluster.reset(); h.cluster.add_rows(n)
    env = h.run_env(si)
    args = [harness.BIN, "run", "--json", "--rate", "60000000", "--headroom", "0", "--timeout", "120"]
    if tool == "callgrind":
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={outdir}/callgrind.out.%p"] + args
    else:
        cmd = ["perf", "record", "-F", "999", "-g", "-o", f"{outdir}/perf.data"] + args
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=open(f"{outdir}/{tool}.err", "w"), text=True)
    print(r.returncode, r.stdout)
    print(h.cluster.counts())
finally:
    h.close()
