"""A page type only the tests install: what the real page types do not hold yet (a second StreamField,
choosers nested in lists and structs), so batching is proved for any of it."""
