"""What the tests and tools share: finding the repository and its builds, running samples and
servers, reading pages as a reader sees them, comparing outputs. Topic tests live in tests/."""
