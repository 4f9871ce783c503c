"""The second floor page of the latency benchmark (bench/latency/): one slider and one small
plotly bar chart of it.

What Streamlit and plotly alone cost for "move a slider, see a chart": two bars whose labels
are the slider's value as percentages, drawn with the app's chart settings.
"""

import plotly.graph_objects as go
import streamlit as st

value = st.slider("Value", 0, 10, 1, key="value")
shares = [value * 10, 100 - value * 10]
figure = go.Figure(
    go.Bar(x=shares, y=["First", "Second"], orientation="h", text=[f"{s}%" for s in shares]),
    layout={"title": {"text": "Two shares of 100"}, "height": 260, "xaxis": {"title": "Share (%)"}},
)
st.plotly_chart(figure, config={"displayModeBar": False, "responsive": True})
