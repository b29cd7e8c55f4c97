"""Extraction: places, dates, systems, quantities and candidate events from report text."""
