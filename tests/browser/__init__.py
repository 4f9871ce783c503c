"""Browser tests: the app served by `streamlit run`, driven by headless Chromium."""
