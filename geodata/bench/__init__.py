"""Benchmarks behind ``python -m geodata bench``: figures printed next to a named peer
measured in the same run, never timed assertions (shared machines are noisy)."""
