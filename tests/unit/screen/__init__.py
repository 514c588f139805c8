"""Tests of realist_review.screen (a package so the test modules can share helpers)."""
