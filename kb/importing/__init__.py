"""The import pipeline: bytes in, a structured, anchored source out."""
