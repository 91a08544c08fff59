//! rasd (رصد, "monitoring"): full-text search for archives of security-news articles, Arabic
//! first, French and English beside it.
//!
//! Data flows one way: files → [`ingest::Article`] → tantivy document ([`indexer`]) → hits
//! ([`search`]) → [`output`].

pub mod analysis;
pub mod ingest;
pub mod schema;
