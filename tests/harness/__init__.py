"""What the tests and benchmarks use and the course does not ship: a demo notebook with one of
everything the builds handle (:mod:`tests.harness.demo`) and a Chromium driver for the course in the
browser (:mod:`tests.harness.lite_browser`)."""
