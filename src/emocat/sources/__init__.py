"""Clients of the metadata services: arXiv, Crossref and GitHub."""
