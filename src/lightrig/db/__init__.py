"""The metadata store: users, API keys, generation records and batches, kept in SQL."""
