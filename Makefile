# Hirfa — make help lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GO       ?= go
BIN      := $(CURDIR)/bin
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
# The suite's services, from its manifest (pkg/suite/manifest.txt).
SUITE    := pkg/suite/manifest.txt
SERVICES := $(shell awk '$$1 ~ /^[a-z]/ {print $$1}' $(SUITE))
# Every module of the workspace, read from go.work.
MODULES  := $(shell sed -n 's#^[[:space:]]*\./##p' go.work)
LDFLAGS  := -s -w -X main.version=$(VERSION)

.PHONY: help
help: ## List the targets
	@awk 'BEGIN{FS=":.*## "} /^[a-z-]+:.*## /{printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: tools
tools: $(BIN)/buf ## Build the pinned generators into ./bin
$(BIN)/buf: tools/go.mod tools/go.sum
	cd tools && GOWORK=off GOBIN=$(BIN) $(GO) install tool

.PHONY: generate
generate: tools ## Regenerate Go code, the OpenAPI document and the gateway's API table from proto/ (offline)
	cd proto && $(BIN)/buf format -w
	cd proto && PATH=$(BIN):$$PATH buf generate
	cd proto && $(BIN)/buf build -o $(BIN)/hirfa.binpb
	cd proto && $(GO) run ./openapi/cmd/openapi-assemble -descriptors $(BIN)/hirfa.binpb -in $(BIN)/openapi -out openapi/gen/hirfa.openapi.json
	cd services/gateway && $(GO) generate ./internal/edge

# The OpenAPI linter, pinned by tools/openapi/package-lock.json (npm ci).
REDOCLY := tools/openapi/node_modules/.bin/redocly
$(REDOCLY): tools/openapi/package.json tools/openapi/package-lock.json
	cd tools/openapi && npm ci --no-audit --no-fund
	touch $@

.PHONY: lint
lint: tools $(REDOCLY) ## buf lint, api-linter (AIPs), the OpenAPI document (Redocly), gofmt, go vet and golangci-lint (.golangci.yml) on every module
	cd proto && $(BIN)/buf lint
	bash tools/dev/api-linter.sh
	$(REDOCLY) lint --config tools/openapi/redocly.yaml proto/openapi/gen/hirfa.openapi.json
	@out=$$(gofmt -l $(filter-out proto,$(MODULES)) proto/openapi); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet $(addsuffix /...,$(addprefix ./,$(MODULES)))
	$(BIN)/golangci-lint run $(addsuffix /...,$(addprefix ./,$(MODULES)))

.PHONY: build
build: ## Build static binaries of every service into ./bin
	@mkdir -p $(BIN)
	for s in $(SERVICES); do CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/$$s ./services/$$s/cmd/$$s || exit 1; done
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN)/hirfactl ./services/gateway/cmd/hirfactl

.PHONY: run
run: build ## Run the platform embedded (SQLite under ./var, no servers needed)
	bash deploy/local/run.sh

.PHONY: up
up: build ## Run every service as its own process on PostgreSQL and Redis (state var/stack, logs var/log)
	bash deploy/local/up.sh

.PHONY: down
down: ## Stop what make up started (SIGTERM, then the throwaway servers)
	bash deploy/local/down.sh

# axe-core for the console's browser tests, pinned by tools/a11y/package-lock.json.
AXE := tools/a11y/node_modules/axe-core/axe.min.js
$(AXE): tools/a11y/package.json tools/a11y/package-lock.json
	cd tools/a11y && npm ci --no-audit --no-fund
	touch $@

.PHONY: test
test: $(AXE) ## Unit, conformance (SQLite + PostgreSQL), gRPC, REST and end-to-end tests; chart validation
	bash tools/dev/chromium.sh
	bash tools/dev/s3.sh >/dev/null
	bash tools/dev/oidc.sh >/dev/null
	bash tools/dev/services.sh run -- $(GO) test -count=1 -timeout 20m $(addsuffix /...,$(addprefix ./,$(MODULES)))
	bash tools/kube/validate.sh

.PHONY: bench
bench: build ## Benchmark Get/Create over gRPC and REST (and beside PocketBase), the event bus, reporting, bulk import, name search and the cooperative name check on PostgreSQL and Redis
	bash tools/dev/services.sh run -- bash deploy/local/bench.sh

.PHONY: check-generated
check-generated: generate ## Fail if generated code is not committed
	git diff --exit-code -- proto services/gateway/internal/edge/apis_gen.go

.PHONY: images
images: ## Build one container image per service where a Docker engine runs (else the static binaries)
	bash deploy/images/build.sh

.PHONY: wire-service
wire-service: ## Wire a service into the suite: NAME=craft-bodies API=craftbodies PORT=9103 [CALLS=registry]
	$(GO) run ./tools/newservice wire -name "$(NAME)" -api "$(API)" -port "$(PORT)" -calls "$(CALLS)"

.PHONY: new-service
new-service: tools ## Write a working service from the template, generate and wire it: NAME=demo API=demo PORT=9199 [CALLS=registry]
	$(GO) run ./tools/newservice new -name "$(NAME)" -api "$(API)" -port "$(PORT)" -calls "$(CALLS)" -bin "$(BIN)"

.PHONY: clean
clean: ## Remove build outputs (keeps ./var data)
	rm -rf $(addprefix $(BIN)/,$(SERVICES)) $(BIN)/hirfactl
