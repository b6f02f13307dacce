//! Integration tests of the sandbox over HTTP.

mod binary;
mod connectors;
mod faults;
mod graph;
mod helpers;
mod insights;
mod login;
mod oidc;
mod oidc_admin;
mod paging;
mod reports;
mod x;
mod x_client;
