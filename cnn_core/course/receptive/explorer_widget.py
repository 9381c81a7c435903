"""Receptive-field explorer: pick a layer and one of its output units, see the input box it
looks at on a real image - including the part that falls on the zero padding.

``render(layer=..., row=..., column=...)`` is the pure function behind the widget (one compute
call, :func:`cnn_core.course.receptive.fields.locate_unit`, and one drawing, in a new figure);
``build_rf_explorer()`` wires a "layer" dropdown and "row"/"column" sliders to the same
drawing, a :class:`UnitPicture` kept while the layer and the image stay, so that moving a
slider moves the drawn unit instead of drawing a new figure.
"""
import functools

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from cnn_core.course.common.png_plots import (
    RECENT_PICTURES,
    encode_png,
    figure_output,
    with_static_picture,
)
from cnn_core.course.draw.upload_widget import build_photo_upload
from cnn_core.course.receptive.fields import (
    alexnet_layer_specs,
    feature_map_sizes,
    locate_unit,
    spatial_layer_specs,
    vgg16_layer_specs,
)
from cnn_core.course.receptive.plots import (
    move_receptive_field_box,
    move_unit,
    plot_receptive_field_box,
    plot_unit_grid,
)
from cnn_core.data import load_digits, load_photo
from cnn_core.validation import check_choice
from cnn_core.zoo import small_cnn

NETWORKS = ("VGG-16", "AlexNet", "small CNN")
SCREEN_DPI = 90              # the picture's dpi on screen (figure_output's default)


def network_layers(network):
    """(name, spec) pairs of the spatial layers of one of :data:`NETWORKS`."""
    if network == "VGG-16":
        return vgg16_layer_specs()
    if network == "AlexNet":
        return alexnet_layer_specs()
    if network == "small CNN":
        return spatial_layer_specs(small_cnn(rng=np.random.default_rng(0)))  # geometry only
    raise ValueError(f"network must be one of {NETWORKS}, got {network!r}")


def default_image(network):
    """The picture each network is shown on: the 224x224 photo for the ImageNet networks,
    a 28x28 test digit for the course's small CNN."""
    if network == "small CNN":
        return load_digits("test")[0][0, 0]
    return load_photo(size=224)


def _layer_index(layers, layer):
    names = [name for name, _ in layers]
    if layer is not None:
        check_choice("layer", layer, tuple(names))
    if layer not in names:
        raise ValueError(f"layer must be one of {names}, got {layer!r}")
    return names.index(layer)


class UnitPicture:
    """The explorer's figure for one layer of a network on one image; :meth:`show` points it
    at a unit.

    The first :meth:`show` draws the figure; later ones move the unit, the box, the centre,
    the titles and the zoom inset in place (same picture as a new figure, in a fraction of
    the time: a new figure costs its axes, ticks and image again).  Left: the layer's
    feature map with the unit; right: the image with the unit's receptive field as a red box,
    on a grey hatched frame of zero padding where the box spills over.
    """

    def __init__(self, layer, network="VGG-16", image=None):
        layers = network_layers(network)
        self.image = default_image(network) if image is None else image
        self.layer = layer
        self.specs = [spec for _, spec in layers[:_layer_index(layers, layer) + 1]]
        self.figure, self._artists = None, None

    def show(self, row, column):
        """Point the picture at unit (row, column); returns its UnitField."""
        unit = locate_unit(self.specs, self.image.shape[:2], row, column)
        f = unit.field
        map_title = (f"{self.layer}: {unit.out_size[0]}x{unit.out_size[1]} map, "
                     f"unit ({row}, {column})")
        box_title = f"receptive field {f.size}x{f.size} (jump {f.stride}, padding {f.padding})"
        if self.figure is None:
            self._draw(unit, map_title, box_title)
        else:
            ax_map, ax_image = self.figure.axes[:2]
            move_unit(ax_map, self._artists[0], unit.unit, map_title)
            move_receptive_field_box(ax_image, self._artists[1], self.image, unit.box,
                                     self._margin, title=box_title, center=unit.center)
        return unit

    def _draw(self, unit, map_title, box_title):
        last = locate_unit(self.specs, self.image.shape[:2], unit.out_size[0] - 1,
                           unit.out_size[1] - 1)
        self._margin = max(1, unit.field.padding, *last.spill)   # one frame for the layer
        fig = Figure(figsize=(10, 4.6))
        ax_map, ax_image = fig.subplots(1, 2, width_ratios=(1, 1.35))
        fig.subplots_adjust(left=0.06, right=0.98, bottom=0.12, top=0.92, wspace=0.25)
        grid = plot_unit_grid(ax_map, unit.out_size, unit.unit, title=map_title)
        artists = plot_receptive_field_box(ax_image, self.image, unit.box, margin=self._margin,
                                           center=unit.center, title=box_title)
        self.figure, self._artists = fig, (grid, artists)
        self._background = None          # (dpi, pixels without the moving parts)

    def _moving(self):
        """The artists a move changes, in the order a full draw draws them (by zorder)."""
        ax_map, ax_image = self.figure.axes[:2]
        grid, artists = self._artists
        on_map = [grid, *ax_map.collections, *ax_map.lines, *ax_map.spines.values(),
                  ax_map.title]
        on_image = [artists[name] for name in ("box", "zoom_indicator", "center", "zoom")
                    if name in artists]
        return on_map + on_image + [ax_image.title]

    def png(self, dpi):
        """PNG bytes of the figure at ``dpi``, the same pixels as :func:`figure_png`.

        The first call draws everything and keeps the pixels without the moving parts (the
        feature map's cells, the box, the titles, the zoom); later calls restore them and draw
        only the moving parts: 15 ms instead of 60 (the ticks, labels and the photo are drawn
        once per layer).
        """
        canvas = self.figure.canvas
        if not isinstance(canvas, FigureCanvasAgg):
            canvas = FigureCanvasAgg(self.figure)
        moving = self._moving()
        if self._background is None or self._background[0] != dpi:
            for artist in moving:
                artist.set_animated(True)
            self.figure.dpi = dpi
            canvas.draw()
            self._background = (dpi, canvas.copy_from_bbox(self.figure.bbox))
            for artist in moving:
                artist.set_animated(False)
        else:
            canvas.restore_region(self._background[1])
            ax_image = self.figure.axes[1]
            for inset in ax_image.child_axes:      # placed as a full draw places it
                locator = inset.get_axes_locator()
                inset.apply_aspect(locator(ax_image, canvas.get_renderer()) if locator else None)
        for artist in moving:
            self.figure.draw_artist(artist)
        return encode_png(canvas.buffer_rgba())


def render(layer, row, column, network="VGG-16", image=None):
    """Draw where unit (row, column) of ``layer`` looks, in a new figure.  Returns
    (figure, UnitField); see :class:`UnitPicture`."""
    picture = UnitPicture(layer, network, image)
    unit = picture.show(row, column)
    return picture.figure, unit


def build_rf_explorer(network="VGG-16", image=None, layer=None, upload=True):
    """The explorer widget: a "layer" dropdown, "row" and "column" sliders, a read-out line
    and the figure.  The returned VBox exposes ``.controls`` (dict of the three controls),
    ``.readout`` (HTML with the box coordinates), ``.output`` (the figure, one PNG) and
    ``.result`` (the last UnitField) and ``.figure`` (its matplotlib figure, also the static
    picture a page without widgets shows).  ``upload=True`` adds a "your own photo" button
    (exposed as ``.upload``): the picture, resized to the image's size, replaces it."""
    layers = network_layers(network)
    image = default_image(network) if image is None else image
    shown = {"image": image}     # replaced by an uploaded photo
    names = [name for name, _ in layers]
    if layer is not None:
        check_choice("layer", layer, tuple(names))
    layer_control = widgets.Dropdown(options=names, value=layer or names[-1], description="layer")
    row = widgets.IntSlider(0, 0, 0, description="row", continuous_update=False)
    column = widgets.IntSlider(0, 0, 0, description="column", continuous_update=False)
    readout, output = widgets.HTML(), widgets.Output()
    box = widgets.VBox([widgets.HBox([layer_control, row, column]), readout, output])
    box.controls = {"layer": layer_control, "row": row, "column": column}
    box.readout, box.output, box.result, box.figure = readout, output, None, None
    busy = {"flag": False}       # no redraw while the sliders are being re-ranged
    box.picture = None           # the UnitPicture shown, reused while layer and image stay

    @functools.lru_cache(maxsize=RECENT_PICTURES)    # cleared when a photo is uploaded
    def picture_entry(layer, row, column):
        """The Output entry of box.picture, already showing unit (row, column) of layer."""
        return figure_output(box.picture.figure, "<receptive-field explorer figure>", scale=2,
                             png=box.picture.png(2 * SCREEN_DPI))

    def update(_=None):
        if busy["flag"]:
            return
        if box.picture is None or box.picture.layer != layer_control.value:
            box.picture = UnitPicture(layer_control.value, network, shown["image"])
        unit = box.picture.show(row.value, column.value)     # moves artists, draws nothing
        entry = picture_entry(layer_control.value, row.value, column.value)
        box.result, box.figure = unit, box.picture.figure
        readout.value = f"<b>{layer_control.value}</b>: {unit.describe()}"
        output.outputs = (entry,)

    def rerange(_=None):
        specs = [spec for _, spec in layers[:_layer_index(layers, layer_control.value) + 1]]
        height, width = shown["image"].shape[:2]
        sizes = (feature_map_sizes(specs, height)[-1], feature_map_sizes(specs, width)[-1])
        busy["flag"] = True
        for slider, size in zip((row, column), sizes):
            slider.value = min(slider.value, size - 1)
            slider.max = size - 1
        busy["flag"] = False
        update()

    layer_control.observe(rerange, names="value")
    row.observe(update, names="value")
    column.observe(update, names="value")
    if upload:
        def on_image(photo):
            shown["image"], box.picture = photo, None
            picture_entry.cache_clear()
            rerange()
        box.upload = build_photo_upload(on_image, size=image.shape[0], gray=image.ndim == 2)
        box.children = (box.upload, *box.children)
    rerange()
    return with_static_picture(box, lambda: box.figure)     # a picture for pages without widgets
