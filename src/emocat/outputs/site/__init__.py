"""Site layer of emocat."""
