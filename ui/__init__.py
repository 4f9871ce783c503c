"""The thin layer between Streamlit and advisor: cached loaders and small shared widgets."""
