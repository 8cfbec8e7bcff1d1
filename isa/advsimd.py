"""Placeholder: semantics being written."""
