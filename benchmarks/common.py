"""Helpers shared by the benchmark scripts: percentiles, a private copy of the
corpus and index, the eval questions, memory readings and a loopback server.

Owns nothing the product uses. Every script works on a temporary copy of
corpus/ and index/, so a benchmark never writes into the working tree even if
the index turns out to be stale and gets rebuilt.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

# Offline and silent: no model hub, no telemetry; only loopback traffic.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # gradio_client ORs its flag with this variable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile: `percentile([1, 2, 3, 4], 0.5) -> 3` (same rule as chatbot.evaluate)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def p50_p95(values_ms: list[float]) -> str:
    return f"p50 {percentile(values_ms, 0.5):8.2f} ms   p95 {percentile(values_ms, 0.95):8.2f} ms"


def read_questions(path: Path = ROOT / "eval" / "questions.jsonl") -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def private_copy() -> tuple[Path, Path, Path]:
    """(temp root, corpus copy, index copy); the caller removes the root with shutil.rmtree."""
    root = Path(tempfile.mkdtemp(prefix="sibot-bench-"))
    shutil.copytree(ROOT / "corpus", root / "corpus")
    if (ROOT / "index" / "manifest.json").exists():
        shutil.copytree(ROOT / "index", root / "index")
    return root, root / "corpus", root / "index"


def ensure_fresh_index(corpus_dir: Path, index_dir: Path) -> str:
    """Bring the private index copy up to date (untimed), so timings never include a rebuild."""
    env = {**os.environ, "SIBOT_CORPUS_DIR": str(corpus_dir), "SIBOT_INDEX_DIR": str(index_dir)}
    done = subprocess.run([sys.executable, "-m", "chatbot", "index", "--quiet"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    return done.stdout.strip()


def machine_line() -> str:
    """Cores and load average: the machine may be shared, so every run says how busy it was."""
    one, five, _ = os.getloadavg()
    return f"machine: {os.cpu_count()} cores, no GPU; load average 1 min {one:.2f}, 5 min {five:.2f}"


def status_kb(pid: int | str, field: str) -> int:
    """A `VmRSS` / `VmHWM` line of /proc/<pid>/status in kB (0 if the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc/<pid>/task/*/children."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                pass
    return found


def tree_peak_rss_mb(pid: int) -> float:
    """Sum of VmHWM (peak resident set) over the process and its children, in MB."""
    return sum(status_kb(p, "VmHWM") for p in process_tree(pid)) / 1024


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by the process and its children, from /proc/<pid>/stat."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / ticks


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(corpus_dir: Path, index_dir: Path, port: int, command: list[str] | None = None,
                 log_path: Path | None = None, env: dict[str, str] | None = None) -> subprocess.Popen:
    """`python app.py --port PORT` (or `command`) in the repo, on loopback, using the given copies;
    `env` adds to this process's environment."""
    env = {**os.environ, **(env or {}), "SIBOT_CORPUS_DIR": str(corpus_dir), "SIBOT_INDEX_DIR": str(index_dir),
           "SIBOT_HOST": "127.0.0.1"}
    command = command or [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port)]
    log = open(log_path, "w") if log_path else subprocess.DEVNULL
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for_page(url: str, server: subprocess.Popen, timeout: float = 180) -> float:
    """Poll `url` until HTTP 200; returns the time it took. Raises if the server dies or times out."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise RuntimeError(f"server exited with code {server.returncode} before serving the page")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer 200 within {timeout} s")


@contextmanager
def private_server(env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """`python app.py` serving a private copy of corpus/ and index/ on a free loopback port, its page
    up: yields (url, server process); stops it and deletes the copy when the block ends."""
    root, corpus_dir, index_dir = private_copy()
    server = None
    try:
        ensure_fresh_index(corpus_dir, index_dir)
        port = free_port()
        server = start_server(corpus_dir, index_dir, port, env=env)
        url = f"http://127.0.0.1:{port}/"
        wait_for_page(url, server)
        yield url, server
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(root, ignore_errors=True)


def stop_server(server: subprocess.Popen) -> None:
    """Terminate the server we started (by its own pid), then kill it if it lingers."""
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def new_client(url: str):
    from gradio_client import Client

    return Client(url, verbose=False, analytics_enabled=False, download_files=False)
