"""Every read the pages, commands and API make, each owning its select_related/prefetch_related."""
