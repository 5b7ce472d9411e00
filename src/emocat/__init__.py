"""emocat: a checked research catalog rendered as an Awesome list and a MkDocs site."""

__version__ = "0.2.0"
