"""Your own photo: the bytes of an uploaded image file -> an array the course's widgets take.

Decoding uses Pillow, the image library matplotlib itself reads pictures with.  The picture is
centre-cropped to a square (so nothing is stretched), resized to ``size`` x ``size`` and
converted to grey (H, W) or colour (H, W, 3), values in [0, 1].  A file that is not an image
raises a ValueError that says so, naming the file.
"""
import io
import numbers

import numpy as np
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 20_000_000       # 20 MB: larger uploads are refused before decoding


def decode_image(data, size, gray=False, name="the file"):
    """Decode image bytes (PNG, JPEG, GIF, BMP, ...) into a square float array in [0, 1].

    Parameters
    ----------
    data : bytes (or memoryview / bytearray), the file's content
    size : int in [8, 1024], the side of the square result
    gray : bool, True for (size, size) grey, False for (size, size, 3) colour
    name : str, the file's name, used in error messages
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"data must be the bytes of an image file, got {type(data).__name__}")
    if isinstance(size, bool) or not isinstance(size, numbers.Integral) or not 8 <= size <= 1024:
        raise ValueError(f"size must be an integer in [8, 1024], got {size!r}")
    data = bytes(data)
    if not data or len(data) > MAX_BYTES:
        raise ValueError(f"{name} must be an image file of 1 byte to {MAX_BYTES:,} bytes, "
                         f"got {len(data):,} bytes")
    try:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            picture = picture.convert("L" if gray else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValueError(f"{name} is not an image this course can read: upload a PNG, JPEG, "
                         "GIF or BMP picture") from None
    side = min(picture.size)
    left, top = (picture.width - side) // 2, (picture.height - side) // 2
    square = picture.crop((left, top, left + side, top + side))
    resized = square.resize((size, size), Image.Resampling.LANCZOS if side > size
                            else Image.Resampling.BILINEAR)
    return np.asarray(resized, dtype=np.float64) / 255.0
