"""Forms: every input validated on the server, errors with codes."""
