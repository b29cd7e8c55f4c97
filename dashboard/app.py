"""The dashboard: `streamlit run dashboard/app.py` (from the repository root).

Reads the event store named by GEODATA_DB (else the default one, seeded on first use).
Three pages: the map of the catalogue (the default, at /), "Add report" (at
/add-report), where an analyst turns a new report into stored events, and "Import" (at
/import), where a dataset file becomes stored events.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # `streamlit run` from anywhere


def main() -> None:
    st.set_page_config(page_title="NK–Russia weapons pipeline map", layout="wide")
    pages = [st.Page(HERE / "map_page.py", title="Map", default=True),
             st.Page(HERE / "report_page.py", title="Add report",
                     url_path="add-report"),
             st.Page(HERE / "import_page.py", title="Import", url_path="import")]
    st.navigation(pages).run()


main()
