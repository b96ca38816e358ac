"""Answer questions from the index: retrieve, select evidence, generate, verify, cite."""
