#!/bin/sh
# Rebuilds the vendored design-system assets under portal/assets (and the
# fonts of pdfdoc) from the
# npm package @kern-ux/native (EUPL-1.2): the stylesheet unmodified, and
# Fira Sans (SIL OFL 1.1) in the two weights the portal uses, subset to
# Latin-1 and German typography so that a page with its fonts stays well
# under 100 KB. Needs npm and Debian's fonttools + python3-brotli.
set -eu
cd "$(dirname "$0")/.."
version=2.7.2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "@kern-ux/native@$version" >/dev/null && tar xzf kern-ux-native-$version.tgz)
dist=$tmp/package/dist
cp "$dist/kern.min.css" portal/assets/kern.min.css
cp "$tmp/package/LICENSE.md" portal/assets/LICENSE-KERN-UX.md
for w in Regular SemiBold; do
	pyftsubset "$dist/fonts/fira-sans/FiraSans-$w.woff2" \
		--unicodes="U+0020-007E,U+00A0-00FF,U+0152-0153,U+2010-2014,U+2018-201E,U+2022,U+2026,U+2039-203A,U+20AC,U+2122" \
		--layout-features='kern,liga,tnum,lnum' --flavor=woff2 \
		--output-file="portal/assets/fonts/FiraSans-$w-subset.woff2"
done
# The PDF generator (package pdfdoc) embeds TrueType subsets with the
# letters of names in Latin, Greek and Cyrillic scripts.
for w in Regular SemiBold Italic; do
	pyftsubset "$dist/fonts/fira-sans/FiraSans-$w.woff2" \
		--unicodes="U+0020-007E,U+00A0-024F,U+0370-03FF,U+0400-04FF,U+1E00-1EFF,U+2010-2014,U+2018-201E,U+2022,U+2026,U+2039-203A,U+20AC,U+2122" \
		--layout-features='kern' --output-file="pdfdoc/fonts/FiraSans-$w-subset.ttf"
done
echo "portal/assets and pdfdoc/fonts updated from @kern-ux/native@$version"
