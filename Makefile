# Two entry points: `make demo` and `make test`. Both set up what is missing first.
SHELL := /bin/bash
PY := .venv/bin/python
APT_PKGS := chromium fonts-noto-color-emoji fonts-nanum fonts-nanum-extra poppler-utils \
            tesseract-ocr tesseract-ocr-kor tesseract-ocr-eng zbar-tools
STAMPS := .stamps

.PHONY: setup demo test bench bench-soak lint dist doctor clean

CLDR_TABLE := src/nanosheet/data/cldr_annotations.json.gz

setup: $(STAMPS)/apt $(STAMPS)/venv $(STAMPS)/npm $(STAMPS)/fonts $(CLDR_TABLE)

# apt only for what is missing, so a machine that has everything never touches the network. npm and venv are
# checked as commands: a Node.js that ships its own npm must not get Debian's npm on top.
$(STAMPS)/apt: Makefile
	@mkdir -p $(STAMPS)
	@missing=$$(for p in $(APT_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done; \
	  command -v npm >/dev/null || echo npm; python3 -c 'import ensurepip' 2>/dev/null || echo python3-venv); \
	if [ -n "$$missing" ]; then \
	  echo "apt: installing $$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@touch $@

$(STAMPS)/venv: pyproject.toml
	@mkdir -p $(STAMPS)
	@test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip >/dev/null
	$(PY) -m pip install -q -e '.[dev,ai]'
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The emoji keyword table ingest reads: package data built from the npm package (gitignored build output).
$(CLDR_TABLE): $(STAMPS)/venv $(STAMPS)/npm tools/build_package_data.py
	$(PY) tools/build_package_data.py cldr
	@touch $@

# Debian's Hangul and emoji fonts split into small parts (nanosheet/render/fonts.py says why); cached
# outside the checkout, rebuilt only when a font or the split changes.
$(STAMPS)/fonts: $(STAMPS)/apt $(STAMPS)/venv src/nanosheet/render/fonts.py
	$(PY) -c "from nanosheet.render.fonts import main; main()"
	@touch $@

demo: setup
	$(PY) -m nanosheet render examples/transformer-attention.md -o out

test: setup
	$(PY) -m pytest -n 2 --dist loadfile

# A wheel that carries its built assets (CLDR table, the npm files a page loads): build output, never committed.
dist: setup
	$(PY) tools/build_package_data.py cldr frontend
	rm -rf build dist/nanosheet-*.whl
	$(PY) -m pip wheel -q --no-deps --no-build-isolation -w dist .
	@ls -l dist/nanosheet-*.whl

doctor: setup
	$(PY) -m nanosheet doctor

bench: setup
	$(PY) bench/run.py

# 500 sheets in one batch: throughput and memory of the first and the last sheets (takes several minutes).
bench-soak: setup
	$(PY) bench/soak.py

lint: setup
	.venv/bin/ruff check src tests bench
	.venv/bin/mypy

clean:
	rm -rf out dist build $(STAMPS) src/nanosheet/data
