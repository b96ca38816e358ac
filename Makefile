# One task runner; CI calls `make test` too.
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# CI's gate: the test splits of both collections (a fixed sample of the SQuAD one), a few
# points under the figures measured (docs/EVALUATION.md) so that it catches regressions
ARTICLE_GATE ?= --min-accuracy 0.77 --min-abstention-recall 0.85 --max-false-abstentions 0.10 \
                --max-unsupported-numbers 0
SQUAD_GATE ?= --sample 120 --min-accuracy 0.52 --min-abstention-recall 0.13 \
              --max-false-abstentions 0.10 --max-unsupported-numbers 0

.PHONY: run install install-test index serve test unit integration eval lint clean \
        reliability reliability-report bench

## Install, build the index of the bundled article, serve the chat on $(HOST):$(PORT)
run: install index serve

install:
	scripts/install.sh

install-test:
	scripts/install.sh test

index:
	$(BIN)/qa index build

serve:
	$(BIN)/qa serve --host $(HOST) --port $(PORT)

## Install, then lint, unit tests, fault injection, tests with the real models, and the evaluation gate
test: install-test lint unit reliability integration eval-gate

lint:
	$(BIN)/ruff check .
	$(BIN)/hadolint Dockerfile

unit:
	$(BIN)/python -m pytest -q -m "not integration"

integration:
	$(BIN)/python -m pytest -q -m integration

## Fault injection, quick (CI): kill -9 during builds, flipped bytes, full disk, other embedder
reliability:
	$(BIN)/python scripts/fault_test.py --quick

## The figures of docs/RELIABILITY.md (minutes; writes reports/reliability/)
reliability-report:
	$(BIN)/python scripts/schema_fuzz.py --examples 100
	$(BIN)/python scripts/fault_test.py --out reports/reliability/fault.json
	$(BIN)/python scripts/load_test.py --out reports/reliability/load.json
	$(BIN)/python scripts/sigterm_test.py

eval-gate:
	$(BIN)/qa eval --collection article --split test --quiet --out reports/eval/article $(ARTICLE_GATE)
	$(BIN)/qa eval --collection squad2-wiki --split test --quiet --out reports/eval/squad2-wiki $(SQUAD_GATE)

## Both collections' test splits with the naive pipeline beside (tune on --split dev)
eval:
	$(BIN)/qa eval --collection article --split test --baseline --out reports/eval/article
	$(BIN)/qa eval --collection squad2-wiki --split test --baseline --out reports/eval/squad2-wiki

## Speed figures (docs/PERFORMANCE.md; minutes; writes reports/bench/). Compare settings with
## BENCH_ARGS="--config before=QA_X=a --config after=QA_X=b --with-eval"
bench:
	$(BIN)/qa bench --out reports/bench $(BENCH_ARGS)

clean:
	rm -rf var reports .pytest_cache .ruff_cache
