"""The decision model for one client: scoring, sensitivity, explanation, share links, take-away."""
