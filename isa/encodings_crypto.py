"""Encoding table section (see isa/encodings.py for the syntax): filled in by its owner."""

TABLE = r"""
"""
