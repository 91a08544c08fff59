//! The article: what rasd indexes and finds. Its fields are listed once, here: the file's
//! record carries them as written, the article as settled, the document stores them and the
//! hit shows them back.

use time::OffsetDateTime;

/// What an article says about itself besides its id, title, text and date.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Metadata {
    /// The outlet that published it.
    pub source: Option<String>,
    /// Short language code (`ar`, `fr`, `en`…), from the metadata or detected.
    pub lang: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    pub tags: Vec<String>,
}

/// One news article, ready to index.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Unique key: the `id` from the metadata, else the file's path relative to its root
    /// (plus `#LINE` for a JSON Lines record, `#ITEM` for an item of a JSON array).
    pub id: String,
    /// Absolute path of the file the article came from.
    pub path: String,
    pub title: String,
    pub body: String,
    /// Publication instant, in UTC.
    pub date: Option<OffsetDateTime>,
    pub meta: Metadata,
    /// Whether its text was cut to `--max-article-size` (see [`crate::store::records::CutFiles`]).
    pub cut: bool,
    /// Whether its file's reader found it after passing over damaged data (a web archive's):
    /// it may come from inside the damaged record, so it never takes the id of another
    /// file's article (see [`crate::store::records::DamagedFiles`]).
    pub after_damage: bool,
}

#[cfg(test)]
impl Article {
    /// An article of `/archive/ID.txt` with this body and nothing else: tests fill in the
    /// fields they need with `Article { title: …, ..Article::for_test(id, body) }`.
    pub(crate) fn for_test(id: &str, body: &str) -> Article {
        Article {
            id: id.to_string(),
            path: format!("/archive/{id}.txt"),
            title: String::new(),
            body: body.to_string(),
            date: None,
            meta: Metadata::default(),
            cut: false,
            after_damage: false,
        }
    }
}
