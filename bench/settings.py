"""Production settings plus one harmless hello-world URL, for bench/load.py's baseline only."""

from twh.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
