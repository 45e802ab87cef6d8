#!/usr/bin/env bash
# Set up, build the tables from the bundled corpus, and open the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh runtime
.venv/bin/python -m loaders build || echo "build failed (see above); serving the last good tables" >&2
exec .venv/bin/streamlit run dashboard/app.py "$@"
