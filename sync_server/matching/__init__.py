"""Semantic job-candidate matching over CV passages, stored per organization in ChromaDB."""
