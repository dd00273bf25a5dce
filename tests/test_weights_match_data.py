"""Every committed model was trained on the data now in `data/`: a changed labelled file without
`python -m chatbot train` would ship weights that no longer say what the data says."""

import hashlib
import json

import pytest

from chatbot import train_answerability, train_continuation, train_near_miss, train_passages
from conftest import ROOT

WEIGHTS = ROOT / "chatbot" / "weights"


def digest(paths) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()


@pytest.mark.parametrize("weights, paths", [
    ("answerability.json", train_answerability.data_paths(ROOT)),
    ("continuation.json", train_continuation.data_paths(ROOT)),
    ("near_miss.json", train_near_miss.data_paths(ROOT)),
    ("passage_scorer.json", train_passages.data_paths(ROOT)),
    ("answer_sentences.json", train_passages.data_paths(ROOT)),
    ("urgent_model.json", sorted((ROOT / "data" / "urgent").glob("*.jsonl")) +
     sorted((ROOT / "data" / "questions").glob("*.jsonl")) + sorted((ROOT / "eval").glob("redflags*.jsonl"))),
])
def test_the_committed_weights_were_trained_on_todays_data(weights, paths):
    assert paths
    assert json.loads((WEIGHTS / weights).read_text(encoding="utf-8"))["data_sha256"] == digest(paths), \
        f"{weights} was trained on other data: run python -m chatbot train"
