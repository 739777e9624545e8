"""Recorded answers after upload: their transcript (from the station) and their media (to reviewers)."""
