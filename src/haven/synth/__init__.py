"""Synthetic registries for benchmarks and demonstrations: realistic, never real persons."""
