"""Widgets shared by more than one window."""
