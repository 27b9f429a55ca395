#!/usr/bin/env bash
# SPDX-License-Identifier: EUPL-1.2
# Runs the whole test suite on a fresh machine of the project's kind: installs
# what the tests need (the versitygw S3 server), makes sure the local
# PostgreSQL runs, then vets and tests every package. Set CI=1 to turn every
# "server missing" skip into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

GOBIN_DIR="$(go env GOPATH)/bin"
export PATH="$GOBIN_DIR:$PATH"

# S3-compatible server for the s3blob driver tests (checks SigV4 signatures).
VERSITYGW_VERSION=v1.8.0
if ! command -v versitygw >/dev/null 2>&1; then
  echo "installing versitygw $VERSITYGW_VERSION (first time only, a few minutes)"
  go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
fi

# PostgreSQL for the scale-out store tests: the machine starts it on 127.0.0.1:5432.
if command -v pg_isready >/dev/null 2>&1 && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

# libxml2 headers and pkg-config for the XJustiz validator (cgo).
./scripts/deps.sh

go vet ./...
go test -count=1 -timeout 20m "$@" ./...
