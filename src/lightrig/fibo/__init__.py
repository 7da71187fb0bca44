"""FIBO's structured prompt: compile a setup into it, refine the light of one, read light back."""
