#!/usr/bin/env bash
# Set up the virtual environment and open the dashboard on the seed catalogue
# (or on the store GEODATA_DB names). Works with no internet once installed.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
exec .venv/bin/streamlit run dashboard/app.py --server.enableStaticServing true "$@"
