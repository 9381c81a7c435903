"""Ready-made architectures: the course's small CNN, LeNet-5 and VGG-16."""
from .layers import BatchNorm2D, Conv2D, Dense, Dropout, Flatten, MaxPool2D, ReLU
from .model import Sequential
from .validation import check_choice, check_filters, check_int

# The output layer starts with small weights, so a fresh classifier gives nearly equal scores to
# every class and its cross-entropy starts at about ln(10) = 2.30: a check that nothing is broken.
OUTPUT_SCALE = 0.1


DOWNSAMPLING = ("pool", "stride")


def small_cnn(filters=(8, 16), kernel_size=3, num_classes=10, rng=None, *, padding=None,
              downsample="pool", batchnorm=False, dropout=0.0, input_shape=(1, 28, 28)):
    """The course's digit classifier for (1, 28, 28) inputs.

    conv 3x3 (1 -> f1, padding 1), ReLU, max-pool 2, conv 3x3 (f1 -> f2, padding 1), ReLU,
    max-pool 2, Flatten, Dense (f2*7*7 -> num_classes).  9,098 parameters with the default
    filters (8, 16); 20,490 with the training recipe's (16, 32) (``cnn_core.recipes``).

    The keyword-only options build the variants of chapter 9 (the defaults give the model above):

    padding : int >= 0 or None
        Zeros around each convolution's input; None means ``kernel_size // 2`` ("same").
    downsample : {"pool", "stride"}
        A 2x2 max-pool after each block, or the convolution itself with stride 2 (no pooling).
    batchnorm : bool
        BatchNorm2D after each convolution.
    dropout : float in [0, 1)
        Dropout with this probability before the output layer (0: none).
    input_shape : (C, H, W)
        One sample's shape; the Dense layer's in_features follows from it.

    Raises ValueError naming ``filters`` (two integers >= 1), ``kernel_size``, ``num_classes``
    or ``padding`` (integers), ``downsample`` (one of DOWNSAMPLING), or for a block that does
    not fit (e.g. a kernel larger than the padded input).
    """
    filters = check_filters(filters)
    kernel_size = check_int("kernel_size", kernel_size, 1)
    num_classes = check_int("num_classes", num_classes, 1)
    padding = None if padding is None else check_int("padding (or None)", padding, 0)
    check_choice("downsample", downsample, DOWNSAMPLING)
    pad = kernel_size // 2 if padding is None else padding
    stride = 2 if downsample == "stride" else 1
    layers, channels = [], input_shape[0]
    for width in filters:
        layers.append(Conv2D(in_channels=channels, out_channels=width, kernel_size=kernel_size,
                             stride=stride, padding=pad, rng=rng))
        if batchnorm:
            layers.append(BatchNorm2D(width))
        layers.append(ReLU())
        if downsample == "pool":
            layers.append(MaxPool2D(kernel_size=2))
        channels = width
    layers.append(Flatten())
    if dropout > 0:
        layers.append(Dropout(dropout, rng=rng))
    shape = tuple(input_shape)
    for layer in layers:
        shape = layer.output_shape(shape)
    layers.append(Dense(in_features=shape[0], out_features=num_classes, rng=rng,
                        weight_scale=OUTPUT_SCALE))
    return Sequential(layers)


def lenet5(num_classes=10, rng=None):
    """LeNet-5 (LeCun et al., 1998) for (1, 28, 28) digits, with ReLU and max-pooling in place
    of the original squashing functions and subsampling.  The first convolution pads by 2, so
    28x28 digits behave like the original 32x32 input.  61,706 parameters.
    Raises ValueError if ``num_classes`` is not an integer >= 1.
    """
    num_classes = check_int("num_classes", num_classes, 1)
    return Sequential([
        Conv2D(in_channels=1, out_channels=6, kernel_size=5, padding=2, rng=rng), ReLU(),
        MaxPool2D(kernel_size=2),
        Conv2D(in_channels=6, out_channels=16, kernel_size=5, rng=rng), ReLU(),
        MaxPool2D(kernel_size=2),
        Flatten(),
        Dense(in_features=400, out_features=120, rng=rng), ReLU(),
        Dense(in_features=120, out_features=84, rng=rng), ReLU(),
        Dense(in_features=84, out_features=num_classes, rng=rng, weight_scale=OUTPUT_SCALE),
    ])


VGG16_STAGES = ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3))


def vgg16(num_classes=1000, rng=None):
    """VGG-16 (Simonyan & Zisserman, 2014) for (3, 224, 224) images: 13 3x3 convolutions in
    five stages, each stage ending in a 2x2 max-pool, then three fully connected layers.
    138,357,544 parameters (about 553 MB as float32) - build it to count, not to train here.
    Raises ValueError if ``num_classes`` is not an integer >= 1.
    """
    num_classes = check_int("num_classes", num_classes, 1)
    layers, channels = [], 3
    for width, depth in VGG16_STAGES:
        for _ in range(depth):
            layers += [Conv2D(in_channels=channels, out_channels=width, kernel_size=3, padding=1,
                              rng=rng), ReLU()]
            channels = width
        layers.append(MaxPool2D(kernel_size=2))
    layers += [Flatten(),
               Dense(in_features=512 * 7 * 7, out_features=4096, rng=rng), ReLU(),
               Dropout(0.5, rng=rng),
               Dense(in_features=4096, out_features=4096, rng=rng), ReLU(), Dropout(0.5, rng=rng),
               Dense(in_features=4096, out_features=num_classes, rng=rng)]
    return Sequential(layers)
