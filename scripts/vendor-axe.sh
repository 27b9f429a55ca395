#!/bin/sh
# SPDX-License-Identifier: EUPL-1.2
# Refreshes the vendored accessibility engine of the browser tests:
# axe.min.js of the npm package axe-core (Deque Systems, MPL-2.0),
# unmodified, with its licence files, into browsertest/testdata/axe, so that
# the tests need no network. Needs npm. Usage: scripts/vendor-axe.sh [VERSION]
set -eu
cd "$(dirname "$0")/.."
version=${1:-4.14.1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$version" >/dev/null && tar xzf "axe-core-$version.tgz")
dst=browsertest/testdata/axe
mkdir -p "$dst"
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$tmp/package/LICENSE-3RD-PARTY.txt" "$dst/"
sha=$(sha256sum "$dst/axe.min.js" | cut -d' ' -f1)
cat > "$dst/README.md" <<MD
# axe-core $version

\`axe.min.js\` is the unmodified file of the npm package \`axe-core@$version\`
(Deque Systems, Inc., Mozilla Public License 2.0: \`LICENSE\`; bundled third-party
code: \`LICENSE-3RD-PARTY.txt\`). Package browsertest embeds it and injects it into
every page a browser test visits. SHA-256 of axe.min.js: \`$sha\`.

Refresh or change the version with \`scripts/vendor-axe.sh [VERSION]\` (needs npm) and
update the version in browsertest/axe.go.
MD
echo "browsertest/testdata/axe updated from axe-core@$version ($sha)"
