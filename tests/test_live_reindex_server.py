"""A running app answers from a rebuilt index without a restart: the real server, `python -m chatbot
index` run beside it as a maintainer would, and the /ask API."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest
from gradio_client import Client

from conftest import ROOT
from server_fixture import server_output, start_server, stop

pytestmark = pytest.mark.integration

QUESTION = "How long should I hold the knee to chest stretch?"
SWITCHED = "now answering from the new index"


def hold_time_lines(client) -> list[str]:
    reply = client.predict(message=QUESTION, history=[], api_name="/ask")
    return [line for line in reply["answer"].splitlines() if "switch legs" in line]


def test_an_article_edited_and_reindexed_is_answered_from_without_a_restart(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    url, process, log_path = start_server(tmp_path, corpus_dir=corpus)
    try:
        client = Client(url, verbose=False)
        assert any("Hold for 30 seconds" in line for line in hold_time_lines(client))
        article = corpus / "stretches.md"
        article.write_text(article.read_text(encoding="utf-8").replace("Hold for 30 seconds and switch legs",
                                                                       "Hold for 45 seconds and switch legs"),
                           encoding="utf-8")
        env = dict(os.environ, HF_HUB_OFFLINE="1", SIBOT_CORPUS_DIR=str(corpus), SIBOT_INDEX_DIR=str(tmp_path / "index"))
        indexed = subprocess.run([sys.executable, "-m", "chatbot", "index", "--quiet"], cwd=ROOT, env=env,
                                 capture_output=True, text=True, timeout=300)
        assert indexed.returncode == 0, indexed.stderr
        deadline = time.monotonic() + 60
        while SWITCHED not in server_output(log_path) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert SWITCHED in server_output(log_path), server_output(log_path)[-2000:]
        lines = hold_time_lines(client)
        assert lines and all("Hold for 45 seconds" in line for line in lines)
        assert process.poll() is None
    finally:
        stop(process)
