"""Commands layer of emocat."""
