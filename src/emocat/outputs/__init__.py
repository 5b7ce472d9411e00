"""Outputs layer of emocat."""
