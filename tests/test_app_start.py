"""`python app.py` on a machine where it cannot serve: a clear message and exit 1, never a traceback or a half-up page."""

import os
import socket
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(corpus_dir, index_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "SIBOT_CORPUS_DIR": str(corpus_dir), "SIBOT_INDEX_DIR": str(index_dir)}
    return subprocess.run([sys.executable, "app.py", "--port", str(free_port())], cwd=ROOT, env=env, timeout=180,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)


def test_an_empty_corpus_without_an_index_stops_with_a_clear_message(tmp_path):
    (tmp_path / "corpus").mkdir()
    done = start_app(tmp_path / "corpus", tmp_path / "index")
    assert done.returncode == 1
    assert "Error: could not build the index" in done.stderr and "Traceback" not in done.stderr + done.stdout


def test_an_index_folder_that_cannot_be_written_stops_with_a_clear_message():
    done = start_app(ROOT / "corpus", "/proc/sibot-cannot-write-here/index")  # even root cannot write in /proc
    assert done.returncode == 1
    assert "Error: could not build the index" in done.stderr and "Traceback" not in done.stderr + done.stdout
