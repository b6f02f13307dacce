//! Adboard's domain types: newtypes that can only hold valid values.
//!
//! Every type here is built by a `parse`/`TryFrom` that returns a `Result`, so code that holds one
//! never re-checks it ("parse, don't validate"). This crate performs no I/O and depends on no I/O
//! crate; it is shared by the store, the web app, the Graph client and the Lambda function.

pub mod account;
pub mod ads;
pub mod connector;
pub mod team;

mod error;
mod text;

pub use error::DomainError;
