"""Pictures of a setup: the physically based preview of a lit bust, and the lighting diagram."""
