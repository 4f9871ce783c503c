"""The floor page of the latency benchmark (bench/latency/): one slider whose value is echoed,
and nothing else."""

import streamlit as st

value = st.slider("Value", 0, 10, 1, key="value")
st.markdown(f"echo {value}")
