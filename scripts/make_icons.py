"""Render static/img/icon.svg into the favicon (.ico), the app icons and the social-card image.

Not part of the build: the outputs are committed. Run it after changing the SVG or the card:
`.venv/bin/python scripts/make_icons.py` (uses Debian's chromium through Playwright).
"""

import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "static" / "img"
SVG = (IMG / "icon.svg").read_text()

CARD = """<!doctype html><html><body style="margin:0">
<div style="width:1200px;height:630px;background:#3d1c5a;display:flex;align-items:center;gap:56px;
padding:0 90px;box-sizing:border-box;font-family:DejaVu Sans, sans-serif;color:#fff">
<div style="width:260px;height:260px;flex:none">{svg}</div>
<div><div style="font-size:84px;font-weight:700;line-height:1.05">Together We Heal</div>
<div style="font-size:38px;margin-top:28px;color:#f2e8fb">Organize, share, explore and celebrate
racial healing events across the city.</div></div></div></body></html>"""


def render(page, html: str, width: int, height: int) -> bytes:
    page.set_viewport_size({"width": width, "height": height})
    page.set_content(html)
    return page.screenshot(clip={"x": 0, "y": 0, "width": width, "height": height}, omit_background=True)


def icon_html(size: int) -> str:
    svg = SVG.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
    return f'<!doctype html><html><body style="margin:0;background:transparent">{svg}</body></html>'


def ico(pngs: dict[int, bytes]) -> bytes:
    """An .ico holding PNG images (supported by every current browser)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, data = b"", b""
    for size, png in sorted(pngs.items()):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        pngs = {size: render(page, icon_html(size), size, size) for size in (16, 32, 48)}
        (ROOT / "static" / "favicon.ico").write_bytes(ico(pngs))
        (IMG / "apple-touch-icon.png").write_bytes(render(page, icon_html(180), 180, 180))
        (IMG / "icon-512.png").write_bytes(render(page, icon_html(512), 512, 512))
        svg = SVG.replace("<svg ", '<svg width="260" height="260" ', 1)
        (IMG / "social-card.png").write_bytes(render(page, CARD.format(svg=svg), 1200, 630))
        browser.close()


if __name__ == "__main__":
    main()
