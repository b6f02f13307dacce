//! Integration tests of the sandbox over HTTP.

mod helpers;
mod login;
