"""The metadata store: users, API keys, generation records, batches and saved setups, kept in
SQL."""
