"""What every blueprint shares to read a request: its input, checked, and the caller's scope."""
