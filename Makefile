# Two commands for a newcomer on a fresh Debian/Ubuntu machine:
#   make run   - set everything up and start the simulator
#   make test  - set everything up (plus test tools) and run the whole test suite (every tier)
# And while working on the code:
#   make test-unit        - the unit tier only: in-process, no models, no child processes (about a minute)
#   make test-integration - real models, real processes, kills, Chromium, real time
# Everything is installed from the package registries (Debian, PyPI); nothing is downloaded at run time.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check

# Debian/Ubuntu packages: speech synthesis (pyttsx3 loads libespeak-ng), PortAudio for sounddevice,
# sox for measuring/converting audio, python3-venv to create the virtual environment, and g++ and
# python3-dev to build pyworld (the pitch tracker; PyPI has only its source package for Python 3.11).
RUN_DEBS  := espeak-ng libespeak-ng1 libportaudio2 libsndfile1 sox python3-venv g++ python3-dev
# The tests also need a virtual sound card (PulseAudio null sink reached through the ALSA plugin)
# and headless Chromium to check that the HTML report renders.
TEST_DEBS := pulseaudio pulseaudio-utils libasound2-plugins alsa-utils chromium

# openai-whisper (the reference engine, an optional extra) needs torch. 2.13.0 is a CPU wheel on the
# project's machines; elsewhere set TORCH_INDEX=https://download.pytorch.org/whl/cpu to avoid CUDA.
TORCH_SPEC  ?= torch==2.13.0
TORCH_INDEX ?=
OPENAI_WHISPER := openai-whisper==20250625

.PHONY: run test test-unit test-integration setup setup-test system-run system-test bytecode bench fixtures clean
.DEFAULT_GOAL := run

run: setup
	$(PY) -m simulator

test: setup-test
	$(PY) -m pytest

# The unit tier needs no test-only system packages (no Chromium, no PulseAudio): only the Python ones.
test-unit: system-run $(VENV)/.test-installed
	$(PY) -m pytest tests/unit

test-integration: setup-test
	$(PY) -m pytest tests/integration

setup: system-run $(VENV)/.run-installed bytecode
setup-test: system-run system-test $(VENV)/.test-installed

system-run:
	@sh scripts/ensure-debs.sh $(RUN_DEBS)

system-test:
	@sh scripts/ensure-debs.sh $(TEST_DEBS)

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10 or newer is needed"'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.run-installed: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -q -e .
	$(PY) -m simulator models list
	@touch $@

# The simulator's own bytecode, compiled ahead (pip compiles only what it installs, and an editable
# install leaves the sources here): with PYTHONDONTWRITEBYTECODE set, as on the project's machines,
# Python would otherwise compile about 100 modules at every start (about 0.1 s of the launch). It
# still reads bytecode that is there; compileall skips what is up to date.
bytecode: | $(VENV)/bin/python
	@$(PY) -m compileall -q simulator

# openai-whisper is installed without its declared dependencies: on Linux x86_64 they include triton
# (about 1 GB, GPU only). Its real CPU dependencies come from the [openai] extra.
$(VENV)/.test-installed: $(VENV)/.run-installed
	$(PIP) install -q $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX) --extra-index-url https://pypi.org/simple) "$(TORCH_SPEC)"
	$(PIP) install -q -e '.[openai,test]'
	$(PIP) install -q --no-deps "$(OPENAI_WHISPER)"
	@touch $@

bench: setup-test
	$(PY) bench/transcription.py

fixtures:
	$(PYTHON) audio_fixtures/make_fixtures.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
