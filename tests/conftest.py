"""Shared pytest configuration for cognito-identity's tests."""
