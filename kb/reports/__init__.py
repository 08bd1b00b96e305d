"""Reports and checks over the stored data (coverage, integrity, the curated-claim rules)."""
