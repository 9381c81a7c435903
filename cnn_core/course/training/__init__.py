"""Training (chapters 00 and 08): predictions, confusion matrix, saliency and occlusion; their
figures and the training dashboard."""
