"""Recording one answer: audio and video stamped on one clock, written to one file."""
