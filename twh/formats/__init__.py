"""Date formats Django leaves to the English default for some languages (FORMAT_MODULE_PATH)."""
