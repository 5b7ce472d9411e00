"""Clients of the remote services emocat reads metadata from (arXiv, Crossref), over one HTTP layer."""
