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
.venv/bin/python -m geodata export seed-events.geojson
.venv/bin/python -m geodata export kn23-2024.geojson --system KN-23 --since 2024-01-01 --until 2024-12-31
