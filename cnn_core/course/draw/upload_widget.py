"""A file-upload control for "your own photo": pick a picture, a widget redraws with it.

``build_photo_upload(on_image, size, gray)`` returns an ipywidgets box with a FileUpload
button and a message line.  Each uploaded file is decoded by
:func:`cnn_core.course.draw.photo.decode_image` and handed to ``on_image(array)``; a file that
is not an image leaves the widget as it was and shows why in the message line.
"""
import html

import ipywidgets as widgets

from .photo import decode_image


def uploaded_file(value):
    """(name, bytes) of the last file in a FileUpload ``value`` (ipywidgets 8), or None."""
    if not value:
        return None
    last = value[-1]
    return last["name"], bytes(last["content"])


def build_photo_upload(on_image, size, gray=False):
    """Upload button + message; calls ``on_image(array (size, size) or (size, size, 3))``."""
    upload = widgets.FileUpload(accept="image/*", multiple=False,
                                description="your own photo")
    message = widgets.HTML("or upload your own picture (it is cropped to a square and "
                           f"resized to {size}x{size})")
    box = widgets.HBox([upload, message])
    box.add_class("photo-upload")
    box.upload, box.message = upload, message

    def on_upload(change):
        file = uploaded_file(change["new"])
        if file is None:
            return
        name, data = file
        try:
            image = decode_image(data, size, gray=gray, name=name)
        except ValueError as error:
            message.value = f"<span style='color:#b00'>{html.escape(str(error))}</span>"
            return
        on_image(image)
        message.value = f"showing {html.escape(name)} ({size}x{size})"

    upload.observe(on_upload, names="value")
    return box
