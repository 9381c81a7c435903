"""Pooling (chapter 04): which cell wins each window, what pooling does to a shifted input;
the pooling figure and explorer."""
