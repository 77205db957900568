# SPDX-License-Identifier: GPL-2.0-or-later
# swictation-shell: GNOME Shell extension for the Swictation dictation daemon.
UUID := swictation-shell@swictation.github.io
SCHEMA := org.gnome.shell.extensions.swictation-shell.gschema.xml
ZIP := build/$(UUID).shell-extension.zip
E2E_VERSION ?= 48
POT ?= po/swictation-shell.pot

.PHONY: all build extension check test-all lint typecheck test pack lint-zip install uninstall clean demo tail e2e e2e-all bench pot po

all: build

node_modules: package-lock.json
	npm ci
	@touch node_modules

build: node_modules
	node build.mjs all
	glib-compile-schemas --strict --dry-run schemas

# Only what goes into the zip (dist/: one .js per src/ module, metadata, stylesheet, icons),
# leaving the tools and test programs alone.
extension: node_modules
	node build.mjs extension
	glib-compile-schemas --strict --dry-run schemas

lint: node_modules
	npx eslint .

# src/ against the project's GNOME Shell 48 typings, then against 46 and 47 (Ubuntu 24.04 LTS
# and the release after it): one small package per version in test/typecheck/, pinned by its
# own package-lock.json, whose tsconfig points src/ambient.d.ts's typings there.
TYPECHECK_VERSIONS := 46 47

typecheck: node_modules $(TYPECHECK_VERSIONS:%=test/typecheck/gnome-%/node_modules)
	npx tsc --noEmit -p tsconfig.json
	npx tsc --noEmit -p tsconfig.node.json
	@for v in $(TYPECHECK_VERSIONS); do \
	    echo "npx tsc --noEmit -p test/typecheck/gnome-$$v/tsconfig.json"; \
	    npx tsc --noEmit -p test/typecheck/gnome-$$v/tsconfig.json || exit 1; \
	done

test/typecheck/gnome-%/node_modules: test/typecheck/gnome-%/package-lock.json
	cd test/typecheck/gnome-$* && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

test: build
	npx vitest run

check: lint typecheck test lint-zip

# The whole suite: everything `check` runs, then the end-to-end scenarios in real headless
# GNOME Shells 48 and 51. Both versions run even if the first fails; any failure fails it.
# E2E_STRESS=1 runs it all while two busy loops eat both cores (test/e2e/stress.sh).
ifeq ($(E2E_STRESS),1)
test-all:
	bash test/e2e/stress.sh $(MAKE) --no-print-directory test-all E2E_STRESS=0
else
test-all: check
	@rc=0; for v in 48 51; do \
	    echo "=== make e2e E2E_VERSION=$$v"; \
	    $(MAKE) --no-print-directory e2e E2E_VERSION=$$v || { echo "=== e2e on GNOME Shell $$v FAILED"; rc=1; }; \
	done; exit $$rc
endif

# The zip for extensions.gnome.org and `gnome-extensions install`, made by `gnome-extensions
# pack` itself: dist/ (each of its folders as --extra-source), the schema, the translations
# compiled from po/ into locale/, and the licence. GNOME 44 and later compile schemas at install
# and their pack leaves gschemas.compiled out; the pack of older hosts (Debian 12 has 43) puts it
# in, so it is taken out again and every host makes the same zip.
pack: extension
	@mkdir -p build
	rm -f $(ZIP)
	cd dist && gnome-extensions pack --force --out-dir=$(CURDIR)/build \
	    --schema=$(CURDIR)/schemas/$(SCHEMA) --podir=$(CURDIR)/po --extra-source=$(CURDIR)/LICENSE \
	    $$(for d in */; do printf -- '--extra-source=%s ' "$${d%/}"; done) .
	@if unzip -Z1 $(ZIP) | grep -qx 'schemas/gschemas.compiled'; then zip -qd $(ZIP) schemas/gschemas.compiled; fi
	@echo "Packed $(ZIP)"

# The review extensions.gnome.org would do, automated (tools/zipReview.ts): fails on anything a
# reviewer would send back. Part of `make check`.
lint-zip: pack
	node build.mjs tools
	node build/tools/lint-zip.mjs $(ZIP)

install: pack
	gnome-extensions install --force $(ZIP)
	@echo
	@echo "Installed $(UUID)."
	@echo "Enable it:    gnome-extensions enable $(UUID)"
	@echo "On Wayland, log out and back in first so the shell sees the new extension;"
	@echo "on X11, restart the shell with Alt+F2, r, Enter."
	@echo "No daemon yet? 'make demo' runs the bundled simulator where the extension looks."

uninstall:
	gnome-extensions uninstall $(UUID) || true

clean:
	rm -rf dist build

demo: build
	node build/tools/simulator.mjs $(DEMO_ARGS)

tail: build
	node build/tools/tail.mjs $(TAIL_ARGS)

# The scenarios in an English session, then the translated ones in a German session (a second
# shell: the language is the process's). Results in build/e2e/ and build/e2e-de/.
E2E_GERMAN = E2E_LANG=de_DE.UTF-8 E2E_OUT=$(CURDIR)/build/e2e-de

e2e: build pack
	@rc=0; bash test/e2e/run.sh $(E2E_VERSION) || rc=1; \
	case ",$$E2E_SCENARIOS," in ,,|*,translated,*) $(E2E_GERMAN) bash test/e2e/run.sh $(E2E_VERSION) || rc=1 ;; esac; \
	exit $$rc

e2e-all: build pack
	rc=0; for v in 48 50 51; do bash test/e2e/run.sh $$v || rc=1; $(E2E_GERMAN) bash test/e2e/run.sh $$v || rc=1; done; exit $$rc

# Benchmarks 4-5 run a headless GNOME Shell through the e2e harness (root; the packed zip).
bench: build pack
	bash bench/run.sh

# Translations: `make pot` after changing strings, then `make po` merges the template into
# every po/LL.po for translators (see the README's Translations section).
pot:
	mkdir -p po
	xgettext --from-code=UTF-8 --language=JavaScript --keyword=_ --keyword=N_ --keyword=ngettext:1,2 \
	    --package-name=swictation-shell --package-version=$$(node -p 'require("./package.json").version') \
	    --add-comments=Translators: --output=$(POT) $$(find src -name '*.ts' ! -name '*.d.ts' | sort)

po: pot
	for f in po/*.po; do msgmerge --quiet --update --backup=none --previous "$$f" $(POT); done
