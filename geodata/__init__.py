"""geodata: sourced, geocoded events of the North Korea–Russia weapons pipeline."""

__version__ = "0.1.0"
