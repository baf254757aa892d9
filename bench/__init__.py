"""Benchmarks: scripts that print figures (not tests). See the README."""
