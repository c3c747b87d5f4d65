"""The Healing Map: Leaflet pages, lists and open data of approved events (reads events)."""
