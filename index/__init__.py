"""Documents in, searchable index out: load, chunk, embed, store."""
