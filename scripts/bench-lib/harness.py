"""Shared by scripts/bench and scripts/drills: a private PostgreSQL cluster, the Veriff stand-in, and runs of
`provisioner run` measured with /usr/bin/time. Standard library only; loopback only.

Everything started here is stopped by `Harness.close()` (call it from `finally`), each process by its own pid.
"""

import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.environ.get("PROVISIONER_BIN", os.path.join(ROOT, ".build", "release", "provisioner"))
# The stand-in's binary: another build's may lack the newer stand-in options (measuring an older `run` with them).
STANDIN_BIN = os.environ.get("STANDIN_BIN", BIN)
# The stand-in only accepts a UUID; this one exists nowhere but here.
API_KEY = "5f0e4c9a-1b2c-4d3e-8f90-a1b2c3d4e5f6"


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


def machine_description():
    """nproc, CPU model, memory, kernel: the line BENCHMARKS.md puts above every table."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kib = 0
    try:
        with open("/proc/meminfo") as f:
            mem_kib = int(f.readline().split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return (f"{os.cpu_count()} cores, {model}, {mem_kib // 1024} MiB RAM, Linux {platform.release()}, "
            f"{time.strftime('%Y-%m-%d %H:%M %Z')}")


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def table(headers, rows):
    """A Markdown table (printed by the scripts and pasted into BENCHMARKS.md)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(c) for c in row) + " |")
    return "\n".join(lines)


class Cluster:
    """A private PostgreSQL cluster started by scripts/lib/common.sh (pg_start), with the schema migrated."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="provisioner-bench-pg-")
        script = f'set -e; source "{ROOT}/scripts/lib/common.sh"; ensure_packages; pg_start "$1" >&2; ' \
                 'echo "$PGPORT"; echo "$PROVISIONER_PG_CTL"'
        out = subprocess.run(["bash", "-c", script, "pg_start", self.dir], check=True, stdout=subprocess.PIPE,
                             text=True).stdout.split("\n")
        self.port = out[0].strip()
        self.pg_ctl = out[1].strip()
        self.env = dict(os.environ, PGHOST="127.0.0.1", PGPORT=self.port, PGUSER="postgres", PGDATABASE="postgres")
        self.env.pop("DATABASE_URL", None)
        subprocess.run([BIN, "migrate"], env=self.env, check=True, stdout=subprocess.DEVNULL)

    def psql(self, sql):
        """Runs `sql`; returns the unaligned output (rows separated by newlines, columns by '|')."""
        done = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql], env=self.env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"psql failed: {done.stderr.strip()}\n{sql}")
        return done.stdout.strip()

    def reset(self):
        """An empty queue, no runs, no limiter state."""
        self.psql("TRUNCATE session_queue, session_attempts, provisioner_runs RESTART IDENTITY CASCADE; "
                  "DELETE FROM rate_limiter_state;")

    def add_rows(self, count):
        """`count` pending rows (first name, last name, email; the row id is sent as vendorData)."""
        self.psql("INSERT INTO session_queue (first_name, last_name, email) "
                  "SELECT 'First' || g, 'Last' || g, 'user' || g || '@example.com' "
                  f"FROM generate_series(1, {int(count)}) g; ANALYZE session_queue;")

    def counts(self):
        """{status: rows}, plus 'in_doubt' (rows marked) and 'total'."""
        result = {}
        for line in self.psql("SELECT status, count(*) FROM session_queue GROUP BY status").splitlines():
            status, n = line.split("|")
            result[status] = int(n)
        result["in_doubt"] = int(self.psql("SELECT count(*) FROM session_queue WHERE in_doubt"))
        result["total"] = sum(v for k, v in result.items() if k != "in_doubt")
        return result

    def restart(self):
        """`pg_ctl restart -m fast` as the cluster's owner."""
        cmd = self.pg_ctl.split() + ["-m", "fast", "-w", "restart"]
        if os.getuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode

    def close(self):
        script = f'source "{ROOT}/scripts/lib/common.sh"; pg_stop "$1"'
        subprocess.run(["bash", "-c", script, "pg_stop", self.dir], check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


class StandIn:
    """`provisioner mock-veriff --port 0` with the given options; its statistics over HTTP."""

    def __init__(self, *options, workdir):
        self.out_path = os.path.join(workdir, f"standin-{time.monotonic_ns()}.out")
        self.out = open(self.out_path, "w+")
        env = dict(os.environ, VERIFF_API_KEY=API_KEY)
        env.pop("VERIFF_INTEGRATION_ID", None)
        self.process = subprocess.Popen([STANDIN_BIN, "mock-veriff", "--port", "0", *map(str, options)], env=env,
                                        stdout=self.out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        self.url = None
        while time.monotonic() < deadline and self.url is None:
            with open(self.out_path) as f:
                match = re.search(r"listening on (http://\S+)", f.read())
            if match:
                self.url = match.group(1).rstrip("/")
            elif self.process.poll() is not None:
                break
            else:
                time.sleep(0.05)
        if self.url is None:
            self.close()
            raise RuntimeError("the stand-in did not start: " + open(self.out_path).read())

    @property
    def pid(self):
        return self.process.pid

    def stats(self, sessions=False):
        query = "?sessions=1" if sessions else ""
        with urllib.request.urlopen(f"{self.url}/_standin/stats{query}", timeout=60) as answer:
            return json.loads(answer.read())

    def close(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.out.close()


def arrival_rate(sessions, window_seconds):
    """Sessions per window over the sending period: (n - 1) / (last - first arrival) × window."""
    times = sorted(s["arrivalNanoseconds"] for s in sessions)
    if len(times) < 2:
        return None
    span = (times[-1] - times[0]) / 1e9
    return (len(times) - 1) / span * window_seconds if span > 0 else None


def largest_gap(sessions):
    """(seconds, at seconds since the first arrival) of the longest pause between two consecutive arrivals."""
    times = sorted(s["arrivalNanoseconds"] for s in sessions)
    if len(times) < 2:
        return 0.0, 0.0
    gap, at = max((b - a, a - times[0]) for a, b in zip(times, times[1:]))
    return gap / 1e9, at / 1e9


def max_in_window(sessions, window_seconds):
    """The most arrivals in any half-open window (t - W, t], as the stand-in counts."""
    times = sorted(s["arrivalNanoseconds"] for s in sessions)
    w = int(window_seconds * 1e9)
    best, head = 0, 0
    for i, t in enumerate(times):
        while times[head] <= t - w:
            head += 1
        best = max(best, i - head + 1)
    return best


def duplicates_by_vendor_data(sessions):
    """{vendorData: sessions} for every vendorData seen more than once."""
    seen = {}
    for s in sessions:
        key = s["session"].get("vendorData")
        seen[key] = seen.get(key, 0) + 1
    return {k: n for k, n in seen.items() if n > 1}


class Run:
    """One finished `provisioner run`: exit status, JSON summary, wall/user/sys seconds, peak RSS (KiB)."""

    def __init__(self, code, summary, wall, user, system, max_rss_kib, stderr_path):
        self.code = code
        self.summary = summary
        self.wall = wall
        self.user = user
        self.system = system
        self.max_rss_kib = max_rss_kib
        self.stderr_path = stderr_path

    @property
    def cpu(self):
        return None if self.user is None else self.user + self.system

    def counts(self):
        return (self.summary or {}).get("counts", {})


class Harness:
    """A cluster plus the stand-ins and runs of one script; `close()` stops all of them."""

    def __init__(self):
        if not os.access(BIN, os.X_OK):
            sys.exit(f"{BIN} not found: build it with `swift build -c release --product provisioner` "
                     "(or set PROVISIONER_BIN)")
        # SIGTERM ends the script through `finally` (close()), like Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        self.workdir = tempfile.mkdtemp(prefix="provisioner-bench-")
        self.standins = []
        self.processes = []
        self.cluster = None
        self.cluster = Cluster()

    def standin(self, *options):
        s = StandIn(*options, workdir=self.workdir)
        self.standins.append(s)
        return s

    def run_env(self, standin):
        env = dict(self.cluster.env, VERIFF_API_KEY=API_KEY, VERIFF_BASE_URL=standin.url)
        for name in ("VERIFF_INTEGRATION_ID", "VERIFF_CALLBACK_URL", "PROVISIONER_LOG_LEVEL"):
            env.pop(name, None)
        return env

    def spawn_run(self, standin, *args, timed=True):
        """Starts `provisioner run --json ARGS`; returns (process, stdout path, stderr path)."""
        tag = time.monotonic_ns()
        out_path = os.path.join(self.workdir, f"run-{tag}.json")
        err_path = os.path.join(self.workdir, f"run-{tag}.err")
        cmd = [BIN, "run", "--json", *map(str, args)]
        if timed:
            cmd = ["/usr/bin/time", "-f", "BENCHTIME %e %U %S %M"] + cmd
        process = subprocess.Popen(cmd, env=self.run_env(standin), stdout=open(out_path, "w"),
                                   stderr=open(err_path, "w"))
        self.processes.append(process)
        return process, out_path, err_path

    @staticmethod
    def finish(process, out_path, err_path, timeout=3600):
        code = process.wait(timeout=timeout)
        summary = None
        try:
            with open(out_path) as f:
                text = f.read().strip()
            if text:
                summary = json.loads(text.splitlines()[-1])
        except (OSError, ValueError):
            pass
        wall = user = system = rss = None
        with open(err_path) as f:
            for line in f:
                if line.startswith("BENCHTIME "):
                    parts = line.split()
                    wall, user, system, rss = float(parts[1]), float(parts[2]), float(parts[3]), int(parts[4])
                if "exited with non-zero status" in line or line.startswith("Command terminated"):
                    continue
        return Run(code, summary, wall, user, system, rss, err_path)

    def run(self, standin, *args, timeout=3600):
        return self.finish(*self.spawn_run(standin, *args), timeout=timeout)

    def close(self):
        for p in self.processes:
            if p.poll() is None:
                p.kill()
                p.wait()
        for s in self.standins:
            s.close()
        if self.cluster is not None:
            self.cluster.close()
        if os.environ.get("BENCH_KEEP_LOGS"):
            log(f"logs kept in {self.workdir}")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)


def random_sleep(low, high):
    time.sleep(random.uniform(low, high))
