"""The command line as a user runs it: a subprocess, real model, real committed index."""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.integration


def run(*args, stdin=None, env=None, timeout=240):
    return subprocess.run([sys.executable, "-m", "chatbot", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def test_ask_json_batch_answers_every_line_in_order_and_reports_bad_lines():
    lines = [json.dumps({"question": "how long should I hold the knee to chest stretch", "history": []}),
             "this is not json",
             json.dumps({"question": 7}),
             json.dumps({"question": "how long do I hold it?",
                         "history": [{"role": "user", "content": "how do I do the figure 4 stretch"},
                                     {"role": "assistant", "content": "..."}]}),
             json.dumps({"question": "write me a poem"})]
    result = run("ask", "--json", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 5
    assert "Hold for 30 seconds" in out[0]["answer"] and out[0]["citations"][0]["source"] == "stretches.md"
    assert "not valid JSON" in out[1]["error"]["message"] and "question" in out[2]["error"]["message"]
    assert "figure" in out[3]["query"].lower() and out[3]["in_scope"]
    assert out[4]["in_scope"] is False and out[4]["citations"] == []
    assert all(set(o) == {"answer", "citations", "in_scope", "red_flags", "notice", "disclaimer", "query", "markdown",
                       "detections"}
               for o in out if "error" not in o)


def test_a_batch_answers_around_lines_that_cannot_be_read():
    good = json.dumps({"question": "how long should I hold the knee to chest stretch"}).encode()
    bad_lines = [b'{"question": "\\ud800 what causes SI joint pain?"}',  # a lone surrogate: answered
                 b'{"question": ' + b"[" * 5000 + b"]" * 5000 + b"}",  # deep nesting
                 b'{"question": "hi", "n": ' + b"9" * 5000 + b"}",  # an integer Python will not convert
                 b"\xff\xfe not UTF-8",
                 b'{"question": "hi", "history": "not a list"}']
    stdin = b"\n".join(line for bad in bad_lines for line in (bad, good)) + b"\n"
    result = subprocess.run([sys.executable, "-m", "chatbot", "ask", "--json"], cwd=ROOT, input=stdin,
                            capture_output=True, timeout=240)
    assert result.returncode == 0, result.stderr[-2000:]
    assert b"Traceback" not in result.stderr
    out = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert len(out) == 10
    assert all("Hold for 30 seconds" in reply["answer"] for reply in out[1::2])
    assert out[0]["in_scope"] and out[0]["citations"]
    assert [reply["error"]["message"].split(" (")[0] for reply in out[2::2]] == [
        "nested too deeply to read", "not readable JSON", "not valid UTF-8", '"history" must be a list of {"role": '
        '"user"|"assistant", "content": str}']


def test_ask_prints_markdown_with_sources_and_disclaimer():
    result = run("ask", "what causes SI joint pain?")
    assert result.returncode == 0
    assert "[1]" in result.stdout and "<details><summary>" in result.stdout and "emergency number" in result.stdout


def test_the_committed_index_is_fresh():
    result = run("index", "--check")
    assert result.returncode == 0, result.stderr
    assert "fresh" in result.stdout


def test_check_fails_clearly_on_a_stale_index(corpus_copy, tmp_path):
    env = {"SIBOT_CORPUS_DIR": str(corpus_copy), "SIBOT_INDEX_DIR": str(ROOT / "index")}
    (corpus_copy / "extra.txt").write_text("Extra Article\nA brand new sentence about hips.\n", encoding="utf-8")
    result = run("index", "--check", env=env)
    assert result.returncode == 2
    assert "extra.txt is new" in result.stderr and "Run: python -m chatbot index" in result.stderr
    missing = run("index", "--check", env={"SIBOT_INDEX_DIR": str(tmp_path / "nothing")})
    assert missing.returncode == 2 and "no index" in missing.stderr


def test_index_on_an_empty_corpus_is_a_clear_error(tmp_path):
    (tmp_path / "corpus").mkdir()
    result = run("index", env={"SIBOT_CORPUS_DIR": str(tmp_path / "corpus"), "SIBOT_INDEX_DIR": str(tmp_path / "i")})
    assert result.returncode == 1 and result.stderr.startswith("Error: no usable .md or .txt article")
    assert "Traceback" not in result.stderr


def test_usage_errors_name_the_fix():
    result = run("ask")
    assert result.returncode == 1 and "give a question" in result.stderr


def test_serve_only_refuses_to_rebuild_a_stale_index(corpus_copy):
    (corpus_copy / "extra.txt").write_text("Extra Article\nA brand new sentence about hips.\n", encoding="utf-8")
    env = {"SIBOT_CORPUS_DIR": str(corpus_copy), "SIBOT_INDEX_DIR": str(ROOT / "index"), "SIBOT_SERVE_ONLY": "1"}
    result = run("ask", "what causes SI joint pain?", env=env)
    assert result.returncode == 1 and "SIBOT_SERVE_ONLY" in result.stderr and "extra.txt is new" in result.stderr
    assert "Traceback" not in result.stderr
