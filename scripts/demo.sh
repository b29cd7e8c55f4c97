#!/usr/bin/env bash
# Set up the virtual environment, build the gazetteer index and geocode a few names
# from the seed reports, export the seed catalogue, and review a new report (dry run).
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
report=$(mktemp --suffix=.txt)
cat > "$report" <<'TEXT'
KHARKIV, Ukraine — A North Korean KN-23 missile struck Kharkiv on January 2, 2024, killing
five people, regional officials said. Prosecutors said it was fired from the Belgorod region.
TEXT
.venv/bin/python -m geodata extract "$report" --published 2024-01-03
.venv/bin/python -m geodata add-report "$report" --published 2024-01-03 --publisher "Demo Wire" \
    --db "$(mktemp -d)/demo.sqlite"   # lists candidates and matches; add --accept all to store
rm -f "$report"
