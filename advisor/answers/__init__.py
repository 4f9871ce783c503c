"""The opt-in answers: what clients choose to send, stored for the clinic owner."""
