//! Integration tests of the Graph client: against the sandbox, and wiremock for single edge cases.

mod edge_cases;
mod sandbox;
