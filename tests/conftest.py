"""Shared pytest configuration for cognito-identity's tests."""

# pytester runs the README's test-module example in a pytest session of its own.
pytest_plugins = ["pytester"]
