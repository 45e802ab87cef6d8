#!/usr/bin/env bash
# Create .venv and install the pinned packages. Usage: scripts/setup.sh [runtime|dev]
# Re-running is cheap: pip is only called again when the requirements changed.
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-runtime}"
req=requirements.txt
[ "$want" = dev ] && req=requirements-dev.txt
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
stamp=".venv/.installed-$want"
digest=$(cat requirements.txt "$req" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$req"
  echo "$digest" > "$stamp"
fi
