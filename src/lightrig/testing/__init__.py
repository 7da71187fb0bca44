"""Test tooling shipped with lightrig: local mock servers that speak the hosts' wire contracts."""
