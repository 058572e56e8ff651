# The only two commands a newcomer needs: `make demo` and `make test`.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha256sum | cut -c1-16)

.PHONY: demo test soak install clean tour

$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@rm -f $(VENV)/.installed-*
	$(PY) -m pip install --quiet --upgrade pip
	# torch first: the pinned CPU build; any other spec would pull a multi-GB CUDA build.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

soak: $(STAMP)  # the fault, kill, two-sender and update-fuzz runs at several times their size (about 30 minutes)
	CREDBOT_SOAK=1 HF_HUB_OFFLINE=1 $(VENV)/bin/pytest -q tests/e2e/test_faults.py tests/e2e/test_kill.py \
		tests/e2e/test_two_senders.py tests/e2e/test_fuzz_updates.py

demo: $(STAMP)
	@CREDBOT_DB=$${CREDBOT_DB:-$(CURDIR)/.demo/credbot.db} $(VENV)/bin/credbot chat

clean:
	rm -rf $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache

tour: $(STAMP)
	@CREDBOT_DB=$${CREDBOT_DB:-$(CURDIR)/.demo/credbot.db} $(PY) -m credbot.demo
