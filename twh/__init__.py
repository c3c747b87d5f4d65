"""Together We Heal: the project package (settings, root URLs, site-wide pages and shared pieces)."""
