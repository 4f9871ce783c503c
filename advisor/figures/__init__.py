"""Plotly figure builders: pure functions from data to figures, with a table twin each."""
