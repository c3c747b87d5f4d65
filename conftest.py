"""Root pytest configuration: tests never touch the network or real mail."""
