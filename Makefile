# The two commands the README starts with. Each does all the set-up first.
.PHONY: run test lint bench deb

run:
	@scripts/bootstrap.sh run
	.venv/bin/vaultscribe-gui

test:
	@scripts/bootstrap.sh test
	@scripts/test.sh

lint:
	@scripts/test.sh --lint-only

bench:
	@scripts/bootstrap.sh test
	.venv/bin/python bench/vault.py

# The Linux installer: dist/vaultscribe_<version>_<arch>.deb (see docs/deploy.md).
deb:
	@scripts/bootstrap.sh test
	packaging/build-linux.sh dist
