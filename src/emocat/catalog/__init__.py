"""Catalog layer of emocat."""
