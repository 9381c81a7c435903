"""Your own digit: draw it, see it preprocessed as MNIST was, and watch a trained CNN read it.

numbers (no matplotlib): ``preprocess`` (strokes -> 28x28), ``bundled_model`` (which network),
``reading`` (probabilities, feature maps, saliency), ``unit_trace`` (one unit, its receptive
field and the sum behind it), ``photo`` (an uploaded image file -> array);
figures: ``plots``; the drawing pad: ``pad_widget``.
"""
