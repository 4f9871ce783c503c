"""The floor page of bench/latency.py: one slider whose value is echoed, and nothing else."""

import streamlit as st

value = st.slider("Value", 0, 10, 1, key="value")
st.markdown(f"echo {value}")
