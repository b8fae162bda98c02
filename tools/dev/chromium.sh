#!/usr/bin/env bash
# chromium.sh makes sure the headless browser the reporting service prints
# PDFs and PNG charts with is installed, with fonts that carry Arabic
# (Amiri, Noto) and poppler's pdftotext (the tests read the PDFs back).
# Missing packages are installed with apt-get when running as root; otherwise
# the script names what is missing and fails.
#
# Usage: chromium.sh [--print-path]
#   --print-path   print the browser's path on success
set -euo pipefail

readonly PACKAGES=(chromium fonts-hosny-amiri fonts-noto-core poppler-utils)

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
	if [[ $(id -u) -ne 0 ]]; then
		echo "chromium.sh: missing packages: ${missing[*]} (install them as root: apt-get install ${missing[*]})" >&2
		exit 1
	fi
	echo "chromium.sh: installing ${missing[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
	fc-cache -f >/dev/null 2>&1 || true
fi
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z $browser ]]; then
	echo "chromium.sh: chromium not found after install" >&2
	exit 1
fi
if [[ ${1:-} == --print-path ]]; then
	echo "$browser"
fi
