"""Receptive-field explorer: pick a layer and one of its output units, see the input box it
looks at on a real image - including the part that falls on the zero padding.

``render(layer=..., row=..., column=...)`` is the pure function behind the widget (one compute
call, :func:`cnn_core.course.receptive.fields.locate_unit`, and one drawing);
``build_rf_explorer()`` wires a "layer" dropdown and "row"/"column" sliders to it.
"""
import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from cnn_core.course.common.figure_png import figure_output, with_static_picture
from cnn_core.course.draw.upload_widget import build_photo_upload
from cnn_core.course.receptive.fields import (
    alexnet_layer_specs,
    feature_map_sizes,
    locate_unit,
    spatial_layer_specs,
    vgg16_layer_specs,
)
from cnn_core.course.receptive.plots import plot_receptive_field_box, plot_unit_grid
from cnn_core.data import load_digits, load_photo
from cnn_core.validation import check_choice
from cnn_core.zoo import small_cnn

NETWORKS = ("VGG-16", "AlexNet", "small CNN")


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


def render(layer, row, column, network="VGG-16", image=None):
    """Draw where unit (row, column) of ``layer`` looks.  Returns (figure, UnitField).

    Left: the layer's feature map with the unit; right: the image with the unit's receptive
    field as a red box, on a grey hatched frame of zero padding where the box spills over.
    """
    layers = network_layers(network)
    image = default_image(network) if image is None else image
    index = _layer_index(layers, layer)
    specs = [spec for _, spec in layers[:index + 1]]
    unit = locate_unit(specs, image.shape[:2], row, column)
    last = locate_unit(specs, image.shape[:2], unit.out_size[0] - 1, unit.out_size[1] - 1)
    margin = max(1, unit.field.padding, *last.spill)   # one frame for every unit of the layer
    fig = Figure(figsize=(10, 4.6))
    ax_map, ax_image = fig.subplots(1, 2, width_ratios=(1, 1.35))
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.12, top=0.92, wspace=0.25)
    plot_unit_grid(ax_map, unit.out_size, unit.unit,
                   title=f"{layer}: {unit.out_size[0]}x{unit.out_size[1]} map, "
                         f"unit ({row}, {column})")
    f = unit.field
    plot_receptive_field_box(ax_image, image, unit.box, margin=margin, center=unit.center,
                             title=f"receptive field {f.size}x{f.size} (jump {f.stride}, "
                                   f"padding {f.padding})")
    return fig, unit


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

    def update(_=None):
        if busy["flag"]:
            return
        fig, unit = render(layer_control.value, row.value, column.value, network,
                           shown["image"])
        box.result, box.figure = unit, fig
        readout.value = f"<b>{layer_control.value}</b>: {unit.describe()}"
        output.outputs = (figure_output(fig, "<receptive-field explorer figure>", scale=2),)

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
        def on_image(picture):
            shown["image"] = picture
            rerange()
        box.upload = build_photo_upload(on_image, size=image.shape[0], gray=image.ndim == 2)
        box.children = (box.upload, *box.children)
    rerange()
    return with_static_picture(box, lambda: box.figure)     # a picture for pages without widgets
