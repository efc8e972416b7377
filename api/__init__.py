"""``auxot serve-api``: the key verification service over HTTP (see docs/api.md)."""
