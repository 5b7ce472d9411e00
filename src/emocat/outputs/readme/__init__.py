"""Readme layer of emocat."""
