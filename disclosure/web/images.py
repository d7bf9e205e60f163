"""Image sizes as declared in the file's header, read without decoding a pixel.

The reading lives in `disclosure.core.documents` (`declared_size`, for PNG, JPEG and GIF), where attachment checks
use it too; this module keeps the name web code imports (`web.forms.ImageSize`)."""

from __future__ import annotations

from disclosure.core.documents import PNG_SIGNATURE, declared_size

__all__ = ["PNG_SIGNATURE", "declared_size"]
