//! rasd (رصد, "monitoring"): full-text search for archives of security-news articles, Arabic
//! first, French and English beside it.
//!
//! Data flows one way: files → [`article::Article`] → tantivy document ([`store`], written by
//! [`indexer`]) → hits ([`search`], and [`watch`] for saved searches) → [`output`].
//! `ARCHITECTURE.md` says what each module owns and must not use.

pub mod analysis;
pub mod article;
pub mod clean;
pub mod dates;
pub mod error;
pub mod indexer;
pub mod ingest;
pub mod lang;
pub mod output;
pub mod schema;
pub mod search;
pub mod stats;
pub mod store;
pub mod watch;

pub use error::Error;
