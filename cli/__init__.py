"""The scripting CLI: ``auxot`` commands over the same core services as the app."""
