//! How an article lies in the index: the tantivy document built from an [`Article`], each
//! field filled from its part of the article, as the schema says.

use tantivy::schema::Field;
use tantivy::{DateTime, TantivyDocument};

use crate::analysis::signature::{Signature, Signer};
use crate::article::Article;
use crate::schema::{ArticlePart, reserved};
use crate::store::RasdIndex;

/// Turns articles into tantivy documents: the schema's fields resolved to tantivy fields.
pub(crate) struct DocumentBuilder {
    /// Each field, the article part that fills it, and the only language it is filled for.
    fields: Vec<(Field, ArticlePart, Option<String>)>,
    /// The reserved field naming the article's file.
    file: Field,
    /// The reserved field of the story signature, and what reads the body into it.
    signature: (Field, Signer),
    /// The reserved field of the article's place in its file; `None` in an index built
    /// before it, which is written on without it.
    position: Option<Field>,
}

impl DocumentBuilder {
    /// A builder for documents of `index`.
    pub fn new(index: &RasdIndex) -> Self {
        let fields = index
            .schema
            .fields
            .iter()
            .map(|f| (index.field(&f.name), f.from, f.for_lang.clone()))
            .collect();
        DocumentBuilder {
            fields,
            file: index.field(reserved::FILE),
            signature: (
                index.field(reserved::SIGNATURE),
                Signer::new(&index.schema.word_lists),
            ),
            position: index.index.schema().get_field(reserved::POSITION).ok(),
        }
    }

    /// What signs the bodies of this index's articles, one per thread: signing needs the
    /// signer mutably, and its word lists are shared, so a clone costs a few allocations.
    pub fn signer(&self) -> Signer {
        self.signature.1.clone()
    }

    /// The document of one article: each field filled from its part of the article,
    /// `signature`, its body's story signature (from [`DocumentBuilder::signer`]), which the
    /// indexer computes in parallel beforehand, and `position`, its place among its file's
    /// articles.
    pub fn build(&self, article: &Article, signature: Signature, position: u64) -> TantivyDocument {
        let mut doc = TantivyDocument::default();
        doc.add_text(self.file, &article.path);
        if let Some(field) = self.position {
            doc.add_u64(field, position);
        }
        // In order: the column keeps a document's values as they were added.
        for word in signature.0 {
            doc.add_u64(self.signature.0, word);
        }
        for (field, part, for_lang) in &self.fields {
            let (field, part) = (*field, *part);
            if for_lang.is_some() && *for_lang != article.meta.lang {
                continue;
            }
            let values: &[String] = match part {
                ArticlePart::Date => {
                    // Ingest leaves out dates outside `dates::SUPPORTED`; `from_utc`
                    // would clamp one that got here rather than overflow.
                    if let Some(date) = article.date {
                        doc.add_date(field, DateTime::from_utc(date));
                    }
                    continue;
                }
                ArticlePart::Id => std::slice::from_ref(&article.id),
                ArticlePart::Path => std::slice::from_ref(&article.path),
                ArticlePart::Title => std::slice::from_ref(&article.title),
                ArticlePart::Body => std::slice::from_ref(&article.body),
                ArticlePart::Source => article.meta.source.as_slice(),
                ArticlePart::Lang => article.meta.lang.as_slice(),
                ArticlePart::Url => article.meta.url.as_slice(),
                ArticlePart::Author => article.meta.author.as_slice(),
                ArticlePart::Tags => &article.meta.tags,
            };
            for value in values {
                doc.add_text(field, value);
            }
        }
        doc
    }
}
