"""Files people bring and take: bounded, forgiving readers and spreadsheet-safe writers."""
