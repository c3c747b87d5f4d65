"""Helpers for browser tests that use the Healing Map."""


def wait_until_settled(page):
    """Until the popup has faded in and the map has stopped panning to show it: a click during
    Leaflet's auto-pan can land on a moving link."""
    page.wait_for_function("""() => new Promise(resolve => {
        const pane = document.querySelector('#healing-map .leaflet-map-pane');
        const popup = document.querySelector('#healing-map .leaflet-popup');
        const before = pane && pane.style.transform;
        setTimeout(() => resolve(!!popup && getComputedStyle(popup).opacity === '1'
                                 && pane.style.transform === before), 300);
    })""")


def wait_for_map(page, markers: int | None = None):
    """Until the map has drawn its data (and, when given, this many markers)."""
    page.wait_for_selector("#healing-map[data-state=ready]")
    if markers is not None:
        page.wait_for_function(
            "n => document.getElementById('healing-map').dataset.markers === String(n)", arg=markers
        )
