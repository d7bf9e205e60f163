# The two commands: `make run` (install everything, migrate, load demo data, serve on http://127.0.0.1:5000 with
# the background worker) and `make test` (install the test tools, run the whole suite on SQLite and PostgreSQL).
.PHONY: run test bench lint format

run:
	scripts/bootstrap.sh run
	.venv/bin/disclosure demo
	.venv/bin/disclosure serve --host 127.0.0.1 --port 5000

test:
	scripts/run-tests.sh

bench:
	.venv/bin/python -m pip install -q $$(.venv/bin/python -c "import tomllib; print(' '.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['bench']))")
	.venv/bin/python benchmarks/run.py

lint:
	.venv/bin/ruff check .

format:
	.venv/bin/ruff format .
