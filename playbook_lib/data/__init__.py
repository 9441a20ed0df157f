"""Shop data: schema, loading, validation and the demo-shop generator."""
