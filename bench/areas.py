"""Bench: assign random points in the city's extent to the real community-area polygons.

    .venv/bin/python bench/areas.py ../shared/data/chicago-community-areas.geojson [--points N]

Prints points per second for the vectorised lookup `assign_areas` uses and for one point at a
time (what each submitted event costs). Target: >= 20,000 points/s. Reads the file only; no
database is touched.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twh.settings")

import django  # noqa: E402

django.setup()

from events.boundaries import parse_areas, read_source  # noqa: E402
from events.geometry import AreaIndex  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="A GeoJSON FeatureCollection of the city's areas.")
    parser.add_argument("--points", type=int, default=10_000, help="How many points (default 10,000).")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    if not 1 <= args.points <= 1_000_000:
        parser.error("--points must be between 1 and 1,000,000")

    started = time.perf_counter()
    areas, _ = parse_areas(read_source(args.path), expect=None)
    index = AreaIndex((a.number, a.geometry) for a in areas)
    built = time.perf_counter() - started

    bounds = np.array([a.geometry.bounds for a in areas])
    min_lon, min_lat = bounds[:, 0].min(), bounds[:, 1].min()
    max_lon, max_lat = bounds[:, 2].max(), bounds[:, 3].max()
    rng = np.random.default_rng(args.seed)
    lons = rng.uniform(min_lon, max_lon, args.points)
    lats = rng.uniform(min_lat, max_lat, args.points)

    started = time.perf_counter()
    many = index.locate_many(lons, lats)
    vectorised = time.perf_counter() - started

    started = time.perf_counter()
    single = [index.locate(float(lon), float(lat)) for lon, lat in zip(lons, lats, strict=True)]
    one_by_one = time.perf_counter() - started

    assert many == single, "the vectorised and the one-by-one lookups disagree"
    inside = sum(1 for key in many if key is not None)
    print(f"{len(areas)} areas loaded and indexed in {built * 1000:.0f} ms")
    print(f"{args.points} random points in the extent; {inside} inside an area, "
          f"{args.points - inside} outside every area")
    print(f"vectorised (assign_areas):  {args.points / vectorised:,.0f} points/s")
    print(f"one at a time (each event): {args.points / one_by_one:,.0f} points/s")
    print("target: >= 20,000 points/s")


if __name__ == "__main__":
    main()
