pytest_plugins = ["plc_tui.testing.fixtures"]
