#!/usr/bin/env bash
# Debian's chromium and CJK fonts for the real-browser test (Playwright cannot download a
# browser here). Installs only when missing and when we may (root with apt-get).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -n "$(fc-list :lang=zh family 2>/dev/null || true)" ] || need+=(fonts-noto-cjk)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "note: ${need[*]} not installed and not root; the browser test will skip (it runs in CI)" >&2
fi
