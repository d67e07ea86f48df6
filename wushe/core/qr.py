"""QR codes (segno), rendered on the server as SVG: no JavaScript, no image service.

Used by the two-factor enrolment page, and by printed cards and receipts (``core.pdf`` embeds
:func:`qr_data_uri` as an ``<img>``: a ``data:`` URI is the one kind of URL it fetches besides
the app's static files).
"""

from __future__ import annotations

import segno


def _code(data: str, error: str) -> segno.QRCode:
    if not data:
        raise ValueError("a QR code needs data")
    return segno.make(data, error=error, micro=False)


def qr_svg(data: str, *, scale: int = 4, border: int = 2, error: str = "m", title: str = "") -> str:
    """The QR code of ``data`` as an SVG document (text); the same data gives the same SVG."""
    return str(_code(data, error).svg_inline(scale=scale, border=border, title=title or None))


def qr_data_uri(data: str, *, scale: int = 4, border: int = 2, error: str = "m") -> str:
    """The QR code of ``data`` as a ``data:image/svg+xml`` URI for an ``<img src>``."""
    return str(_code(data, error).svg_data_uri(scale=scale, border=border))
