"""Representative Pulumi programs written for the tests (tests/test_programs_*.py), one folder each, and the
helpers those tests share: run `infra estimate --program` on one, and look the expected prices up in the
catalog the estimate uses, so an expected amount is the catalog's row times what the program declares."""
