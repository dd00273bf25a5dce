"""The real web app on a free loopback port, for the integration tests that talk to it over HTTP.

Import the fixture into a test module with `from server_fixture import running_app  # noqa`.
The server is started once per test session however many modules import the fixture, and is
stopped (its whole process group) when the session ends. It serves a copy of the committed
index from a temporary directory, so a stale index is rebuilt there and never in the work tree.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

START_TIMEOUT_SECONDS = 90
FEEDBACK_DB = "feedback.sqlite3"

_server: dict = {}  # one server per session, shared by every module that imports the fixture


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_output(log_path: Path) -> str:
    text = log_path.read_text(encoding="utf-8", errors="replace") if log_path.exists() else ""
    return text[-6000:] or "(no output)"


def wait_until_served(url: str, process: subprocess.Popen, log_path: Path, timeout: float) -> None:
    """Poll `url` until it answers HTTP 200; fail with the server's output if it exits or is too slow."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"app.py exited with code {process.returncode} before serving:\n{server_output(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"app.py did not serve {url} within {timeout:.0f} s:\n{server_output(log_path)}")


def stop(process: subprocess.Popen) -> None:
    """Terminate the server's process group (it was started in its own session), then kill it if it lingers."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def start_server(workdir: Path, corpus_dir: Path | None = None) -> tuple[str, subprocess.Popen, Path]:
    """Serve the committed index (or, given `corpus_dir`, an index built from it at start) from `workdir`;
    its feedback database is `workdir / FEEDBACK_DB`."""
    index_dir = workdir / "index"
    if corpus_dir is None:
        shutil.copytree(ROOT / "index", index_dir)
    port = free_loopback_port()
    env = dict(os.environ, HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False",
               SIBOT_INDEX_DIR=str(index_dir), SIBOT_FEEDBACK_DB=str(workdir / FEEDBACK_DB), PYTHONUNBUFFERED="1")
    if corpus_dir is not None:
        env["SIBOT_CORPUS_DIR"] = str(corpus_dir)
    for name in ("SIBOT_HOST", "SIBOT_PORT", "SIBOT_RECORD_DECLINED"):  # the tests check the default bind address
        env.pop(name, None)
    log_path = workdir / "server.log"
    with open(log_path, "wb") as log:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                                   stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_served(url, process, log_path, START_TIMEOUT_SECONDS)
    except BaseException:
        stop(process)
        raise
    return url, process, log_path


def running_app_feedback_db() -> Path:
    """The feedback database of the server `running_app` started."""
    return _server["feedback_db"]


@pytest.fixture(scope="session")
def running_app(tmp_path_factory) -> str:
    """URL of `python app.py --port PORT` serving on 127.0.0.1, e.g. 'http://127.0.0.1:40123/'."""
    if "url" not in _server:
        workdir = tmp_path_factory.mktemp("app")
        url, process, log_path = start_server(workdir)
        _server.update(url=url, process=process, log_path=log_path, feedback_db=workdir / FEEDBACK_DB)
    yield _server["url"]
    # Each importing module gets its own fixture definition, all torn down at session end: stop once.
    process = _server.get("process")
    if process is not None:
        stop(process)
        if process.returncode not in (0, -signal.SIGTERM, -signal.SIGKILL):
            print(f"app.py ended with code {process.returncode}:\n{server_output(_server['log_path'])}")
