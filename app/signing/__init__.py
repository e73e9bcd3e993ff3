"""Digital signatures: a local PAdES signer and the BSrE client."""
