//! The `adboard-sandbox` binary: runs the sandbox standalone on loopback.

fn main() {}
