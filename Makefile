# Brokerdesk: the two commands a new user needs are `make demo` and `make test`.
BUILD_DIR ?= build
PRESET    ?= linux
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps configure build test demo bench fuzz clean screenshot translations

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake --preset $(PRESET)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure --timeout 300 -j $(JOBS)

demo: build
	resources/demo/run-demo.sh $(BUILD_DIR)/app/brokerdesk

bench: build
	cmake --build $(BUILD_DIR) --target bench
	@for b in $(BUILD_DIR)/tests/bench/bench_*; do \
		[ -x "$$b" ] || continue; echo "== $$b"; "$$b" || exit 1; done

# libFuzzer targets (clang, ASan + UBSan), each run for FUZZ_SECONDS from its seed corpus,
# after its replay program (built with the same sanitizers) has run the hostile seeds (a
# 10 MB string, 100,000-deep nesting, [1e400]: tests/fuzz/hostileseeds.h) and the corpus.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = respreader celerymessage untrustedjson monitorline serverinfo valueformat jsontree payloaddetail
fuzz: deps
	cmake --preset fuzz
	cmake --build build-fuzz -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS)) \
		$(addsuffix _replay,$(addprefix fuzz_,$(FUZZ_TARGETS)))
	for t in $(FUZZ_TARGETS); do \
		mkdir -p build-fuzz/corpus/$$t && \
		QT_QPA_PLATFORM=offscreen build-fuzz/tests/fuzz/fuzz_$${t}_replay tests/fuzz/corpus/$$t 1000 && \
		QT_QPA_PLATFORM=offscreen build-fuzz/tests/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
			-max_len=65536 build-fuzz/corpus/$$t tests/fuzz/corpus/$$t || exit 1; \
	done

# New plural texts (tr("%n …")) into resources/translations/brokerdesk_en.ts, to be given
# their singular and plural forms there.
translations: configure
	cmake --build $(BUILD_DIR) --target update_translations

# A screenshot of the demo for the README (needs Xvfb).
screenshot: build
	resources/demo/run-demo.sh --screenshot docs/screenshot.png $(BUILD_DIR)/app/brokerdesk

clean:
	rm -rf $(BUILD_DIR)
