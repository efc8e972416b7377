"""Named use cases: the commands (:mod:`.commands`), the table that says what each needs and
leaves behind (:mod:`.registry`), and what runs after a commit (:mod:`.effects`).

Import from the submodules: a command is plain data, and importing one must not load the
registry (the app's first frame imports commands but no core views)."""
