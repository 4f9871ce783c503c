"""The cold-start floor of the latency benchmark (bench/latency/cold.py): a page with one heading,
so that launching it times Streamlit's own start and first page, and nothing of the app's."""

import streamlit as st

st.title("Floor", anchor=False)
