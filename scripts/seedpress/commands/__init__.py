"""One module per verb of the `seedpress` command; see seedpress.cli."""
