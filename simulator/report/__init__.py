"""Renderers of an answer report: readable text for the terminal and versioned JSON for tools."""
