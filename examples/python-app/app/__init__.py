"""Example app for the Dockerfile audit."""
