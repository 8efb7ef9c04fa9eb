"""Delivery analysis: how the answer sounded (pace, pauses, fillers, length), as pure functions."""
