"""Admin for the summit."""
