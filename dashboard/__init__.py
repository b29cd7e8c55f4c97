"""The Streamlit dashboard: UI only; everything else comes from geodata."""
