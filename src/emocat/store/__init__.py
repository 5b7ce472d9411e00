"""Store layer of emocat."""
