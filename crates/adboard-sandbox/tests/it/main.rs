//! Integration tests of the sandbox over HTTP.

mod binary;
mod connectors;
mod faults;
mod graph;
mod helpers;
mod insights;
mod login;
mod oidc;
mod paging;
mod reports;
