"""Front ends: the `whosaid` command and the Textual app. Thin layers over archive/ and index/."""
