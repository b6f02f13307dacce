//! Integration tests of the sandbox over HTTP.

mod faults;
mod graph;
mod helpers;
mod insights;
mod login;
mod oidc;
mod reports;
