"""What a file is, read from its first bytes (the name and the browser's claim are not trusted)."""

from __future__ import annotations


def sniff_image(head: bytes) -> str | None:
    """The image type from the file's first bytes (the name and the browser's claim are not trusted)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
