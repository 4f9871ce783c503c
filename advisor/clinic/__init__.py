"""The clinic owner's analysis: the menu of services, positioning, and the scored survey."""
