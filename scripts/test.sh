#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run the whole suite.
# System packages from Debian when missing: Java (HermiT, the OWL reasoner owlready2 runs),
# Chromium (the browser tests drive it through Playwright, which needs no browser download of its own)
# and Virtuoso (a real SPARQL server the remote-store tests start on a temporary database; the other,
# Oxigraph server, comes from PyPI with the test extra).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
exec .venv/bin/python -m pytest "$@"
