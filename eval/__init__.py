"""Score the whole system on a hand-written question set."""
