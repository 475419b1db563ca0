"""Where the project relies on a library beyond its documented API: one module per library, each with a
test that fails when an upgrade changes the behaviour relied on."""
