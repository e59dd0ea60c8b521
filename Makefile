# Two commands on a fresh machine: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared
INPUT  ?= data/raw
OUTPUT ?= data/processed

.PHONY: setup run test eval bench clean dist docker

setup: $(STAMP)

$(STAMP): pyproject.toml setup.py scripts/install-system-deps.sh scripts/apt-install.sh
	sh scripts/install-system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: setup
	$(BIN)/vanban run $(INPUT) $(OUTPUT)

test: setup
	sh scripts/install-test-deps.sh
	$(BIN)/pytest

# exit status 1 (some files became error rows) still leaves tables to score
eval: setup
	@if [ -d $(SHARED)/corpus/dev ] && [ -d $(SHARED)/gold/dev ]; then \
	  $(BIN)/vanban run --timeout 900 $(SHARED)/corpus/dev out/dev; rc=$$?; \
	  [ $$rc -le 1 ] && $(BIN)/vanban eval $(SHARED)/gold/dev out/dev; \
	else echo "no $(SHARED)/corpus/dev or $(SHARED)/gold/dev here: nothing to evaluate"; fi

# Speed and memory are measured here, never in a timed test.
bench: setup
	@for b in bench/bench_*.py; do if [ -f "$$b" ]; then $(BIN)/python "$$b" || exit 1; fi; done

# A wheel (rules/ inside the package) for pip or pipx elsewhere: pip install dist/vanban-*.whl
dist: setup
	$(BIN)/pip wheel --no-deps --no-build-isolation -w dist .

# The image (needs a Docker engine; none on the development machine)
docker:
	docker build -t vanban .

clean:
	rm -rf $(VENV) out dist build $(OUTPUT)/*.parquet
