"""Intake: which files are in the inbox (scan), what is recorded and archived of them (record), what they are (sniff)."""
