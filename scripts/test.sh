#!/usr/bin/env bash
# Set everything up on a fresh machine and run the whole test suite.
# Installs Python packages, Debian's chromium for the browser test (never a downloaded browser),
# checks the committed index is fresh and the evaluation sets against their baselines, then runs
# pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False
PYTHON="${PYTHON:-python3}"  # Debian and Ubuntu have no `python` command outside a virtual environment

"$PYTHON" -m pip install --quiet -r requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium >/dev/null
fi
"$PYTHON" -m chatbot index --check
# Every evaluation set against its recorded baseline (eval/baselines.json): fails with a table on a drop.
"$PYTHON" -m chatbot eval --check > /tmp/sibot-eval.txt 2>&1 || { cat /tmp/sibot-eval.txt; exit 1; }
tail -n 1 /tmp/sibot-eval.txt
"$PYTHON" -m pytest "$@"
