#!/usr/bin/env bash
# Set up the virtual environment, build the gazetteer index and geocode a few names
# from the seed reports. (Becomes the dashboard's start command when it lands.)
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
.venv/bin/python -m geodata index
for name in "Kharkiv" "the Kursk region" "Kurusk" "north of Kyiv" "Vostochny Cosmodrome" \
            "200 km from Blagoveshchensk" "Tumangang–Khasan rail crossing" "DPRK"; do
  .venv/bin/python -m geodata geocode "$name"
done
