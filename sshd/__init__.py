"""``auxot serve-ssh``: the app served to SSH clients, one app process in its own PTY per
session, signed in by the account that owns the presented public key.

Kept free of imports so that :mod:`sshd.launch` (run in every session) starts fast; the server
lives in :mod:`sshd.server`.
"""
