"""Maps of the catalogue outside the dashboard's live page: the folium elements the
dashboard and the standalone HTML share (``elements``), the map assets in one home
(``assets/``, served by the dashboard and inlined into a downloaded map), and the
briefing outputs: a standalone HTML file and a PNG drawn without a browser.

Nothing here imports Streamlit or the dashboard."""
