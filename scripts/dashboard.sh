#!/usr/bin/env bash
# Set up the virtual environment and open the dashboard on the seed catalogue
# (or on the store GEODATA_DB names). Works with no internet once installed.
# On a fresh machine the embedded default store is created from seeds/ first (once:
# the gazetteer index is built too, about 25 s); a store named by GEODATA_DB is never
# created here: make it with `python -m geodata init --seed --db URL`.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
if [ -z "${GEODATA_DB:-}" ]; then
  .venv/bin/python -m geodata init --seed --exist-ok
fi
exec .venv/bin/streamlit run dashboard/app.py --server.enableStaticServing true "$@"
