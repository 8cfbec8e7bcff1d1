"""Contracts for routines lnsym does not prove yet, kept so that their status can be reproduced (see each file)."""
