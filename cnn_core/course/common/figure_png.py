"""Put a matplotlib figure into an ``ipywidgets.Output`` as one PNG entry.

Setting ``Output.outputs`` directly, instead of ``display()`` inside ``with output:``, sends
nothing to the notebook cell that changed a control: so a cell that drives a widget from code
prints only what it prints (nbval compares that), and it works without a kernel (tests).
"""
import base64
import io


def figure_png(fig, dpi=90):
    """PNG bytes of a matplotlib figure (for an ``ipywidgets.Image`` or an Output entry)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def figure_output(fig, label, dpi=90, scale=1):
    """``fig`` as an Output-widget entry: a PNG, with ``label`` as its plain-text stand-in.

    With ``scale`` > 1 the PNG is rendered at ``scale * dpi`` but shown at the width ``dpi``
    gives (the entry's ``width`` metadata), so it stays sharp on high-density laptop screens.
    """
    png = figure_png(fig, dpi * scale)
    metadata = {} if scale == 1 else {"image/png": {"width": round(fig.get_figwidth() * dpi)}}
    return {"output_type": "display_data", "metadata": metadata,
            "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": label}}


def with_static_picture(widget, current_figure, dpi=90):
    """Give ``widget`` a picture for readers without a kernel, and return it.

    When the widget is displayed, its display data gets an ``image/png`` of
    ``current_figure()`` (the figure the widget shows at that moment) beside the live view.
    JupyterLab shows the live widget; a page without widgets (GitHub, a notebook whose widget
    state was not saved) shows the picture instead of the text "VBox(children=...)".
    """
    live_bundle = widget._repr_mimebundle_

    def _repr_mimebundle_(**kwargs):
        bundle = live_bundle(**kwargs)
        figure = current_figure()
        if not bundle or figure is None:
            return bundle
        picture = base64.b64encode(figure_png(figure, dpi)).decode("ascii")
        return {**bundle, "image/png": picture}

    widget._repr_mimebundle_ = _repr_mimebundle_
    return widget
