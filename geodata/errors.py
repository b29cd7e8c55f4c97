"""Errors a user can cause and fix: the command line prints them without a traceback."""


class GeodataError(Exception):
    """Base class: the message names the problem and where it is."""
