"""HTTP API and chat page over the qa pipeline."""
