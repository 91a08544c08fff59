//! The index schema, read from a TOML file (`index-schema/schema.toml` by default).
//!
//! The schema names each field, its type, where its value comes from in an article, its
//! analyzer, storage and query boost, plus the word lists the analyzers use. It is data, not
//! code, so that users can adapt the index to their archive without recompiling.

use std::path::Path;

use serde::Deserialize;
use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, IndexRecordOption, STRING, Schema, SchemaBuilder,
    TextFieldIndexing, TextOptions,
};
use toml::Spanned;

use crate::analysis::{self, WordLists};

/// The built-in schema file and its word lists.
const BUILTIN_SCHEMA: &str = include_str!("../index-schema/schema.toml");
const BUILTIN_LISTS: &[(&str, &str)] = &[
    (
        "stopwords-ar.txt",
        include_str!("../index-schema/stopwords-ar.txt"),
    ),
    (
        "protected-ar.txt",
        include_str!("../index-schema/protected-ar.txt"),
    ),
    (
        "stopwords-fr.txt",
        include_str!("../index-schema/stopwords-fr.txt"),
    ),
    (
        "stopwords-en.txt",
        include_str!("../index-schema/stopwords-en.txt"),
    ),
];

/// The text of the built-in word list `file`.
fn builtin_list(file: &str) -> Option<&'static str> {
    BUILTIN_LISTS
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, text)| *text)
}

/// Fields rasd adds to every index, whatever the schema file says, to re-index incrementally.
/// Each indexed file has one *record* document (the file's size, modification time, content
/// hash and article count) next to its articles; all of them carry the file's key, so that one
/// delete removes a file's articles and record together. User fields may not start with `_`.
pub mod reserved {
    /// On every document: the key of the file it came from (its absolute path).
    pub const FILE: &str = "_file";
    /// [`RECORD`] on the record documents; absent on articles.
    pub const KIND: &str = "_kind";
    /// The value of [`KIND`] on record documents.
    pub const RECORD: &str = "record";
    /// Record documents: the file's size in bytes.
    pub const SIZE: &str = "_size";
    /// Record documents: the file's modification time, nanoseconds since the Unix epoch.
    pub const MODIFIED: &str = "_modified";
    /// Record documents: a hash (XXH3) of the file's bytes.
    pub const HASH: &str = "_hash";
    /// Record documents: how many articles the file gave.
    pub const ARTICLES: &str = "_articles";
    /// Record documents: 1 when an article id of the file is also used by another file.
    pub const SHARES_IDS: &str = "_shares_ids";
    /// Articles: the story signature of the body ([`crate::analysis::signature`]), to group
    /// syndicated copies of one story: its `u64`s as the values of one column, in order, so
    /// that an article's lie together (reading one touches one page of the column, where a
    /// column per `u64` touched one page each).
    pub const SIGNATURE: &str = "_signature";
    /// Articles: the article's place among its file's articles (0 for the first), which orders
    /// the articles of one file that rank alike ([`crate::search`]). Absent from indexes built
    /// before it: there they come in the order the index holds them.
    pub const POSITION: &str = "_position";
    /// The field of the first `u64` of the story signature in indexes whose signature took a
    /// column per `u64` (`_signature0`, `_signature1`…): they need a rebuild.
    pub const SIGNATURE_BY_WORD: &str = "_signature0";
}

/// A schema file that cannot be used, with the place of the problem.
#[derive(Debug, thiserror::Error)]
#[error("{origin}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct SchemaError {
    /// The schema file (or `built-in schema`, `index`).
    pub origin: String,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub message: String,
}

/// The kind of a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// Analyzed full text, with positions unless the schema says `positions = false`.
    Text,
    /// Exact values, one term per value.
    Keyword,
    /// A date, for ranges and sorting.
    Date,
}

/// The part of an article that fills a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArticlePart {
    Id,
    Path,
    Title,
    Body,
    Date,
    Source,
    Lang,
    Url,
    Tags,
    Author,
}

impl ArticlePart {
    const ALL: &[(&str, ArticlePart)] = &[
        ("id", ArticlePart::Id),
        ("path", ArticlePart::Path),
        ("title", ArticlePart::Title),
        ("body", ArticlePart::Body),
        ("date", ArticlePart::Date),
        ("source", ArticlePart::Source),
        ("lang", ArticlePart::Lang),
        ("url", ArticlePart::Url),
        ("tags", ArticlePart::Tags),
        ("author", ArticlePart::Author),
    ];

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, p)| *p)
    }

    /// The part's name in the schema file (`from = "body"`).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map_or("", |(n, _)| n)
    }
}

/// One field of the schema.
#[derive(Clone, Debug)]
pub struct FieldSpec {
    /// The field name, as used in queries.
    pub name: String,
    /// Its kind.
    pub field_type: FieldType,
    /// The article part that fills it.
    pub from: ArticlePart,
    /// The analyzer of a text or keyword field.
    pub analyzer: Option<String>,
    /// Whether the value is stored for display.
    pub stored: bool,
    /// Whether the field is searchable.
    pub indexed: bool,
    /// Whether the field has a column for sorting and statistics.
    pub fast: bool,
    /// For text fields searched by default: the weight of a match.
    pub boost: Option<f32>,
    /// Filled only for articles in this language (`fr`, `en`…); `None`: every article.
    pub for_lang: Option<String>,
    /// Text fields: whether the index keeps each word's positions, which phrases need. A
    /// text field without them has its phrases matched on a view of the same text that has
    /// them (see [`FieldSpec::phrases_on`]).
    pub positions: bool,
}

impl FieldSpec {
    /// Whether phrases can be matched on this field itself: a text field with positions.
    pub fn has_positions(&self) -> bool {
        self.indexed && self.field_type == FieldType::Text && self.positions
    }
}

/// A validated schema: fields plus the analyzers' word lists.
#[derive(Clone, Debug)]
pub struct IndexSchema {
    /// The schema's name, saved in the index.
    pub name: String,
    /// The schema's version, saved in the index.
    pub version: u32,
    /// The fields, in file order.
    pub fields: Vec<FieldSpec>,
    /// The word lists the analyzers use.
    pub word_lists: WordLists,
    /// The TOML text the schema was read from, saved in the index.
    pub toml: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFile {
    name: String,
    version: u32,
    word_lists: WordListFiles,
    #[serde(rename = "field")]
    fields: Vec<FieldEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WordListFiles {
    stopwords_ar: String,
    protected_ar: String,
    stopwords_fr: Option<String>,
    stopwords_en: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldEntry {
    name: Spanned<String>,
    #[serde(rename = "type")]
    field_type: Spanned<String>,
    from: Option<Spanned<String>>,
    analyzer: Option<Spanned<String>>,
    #[serde(default)]
    stored: bool,
    #[serde(default = "yes")]
    indexed: bool,
    #[serde(default)]
    fast: bool,
    boost: Option<Spanned<f32>>,
    for_lang: Option<Spanned<String>>,
    positions: Option<Spanned<bool>>,
}

fn yes() -> bool {
    true
}

/// Fields every schema must have, with their type: the commands rely on them.
const REQUIRED_FIELDS: &[(&str, FieldType)] = &[
    ("id", FieldType::Keyword),
    ("path", FieldType::Keyword),
    ("title", FieldType::Text),
    ("body", FieldType::Text),
    ("date", FieldType::Date),
    ("source", FieldType::Keyword),
    ("lang", FieldType::Keyword),
    ("url", FieldType::Keyword),
    ("tags", FieldType::Keyword),
];

/// The view whose positions match the phrases of `field`, a text field without positions: a
/// field with positions filled from the same part of every article, the stemmed view when
/// there is one (it also matches the phrase's inflected forms, which the field's own words
/// then rank). `None` for a field with positions of its own, or when there is no such view.
pub fn phrases_on<'a>(fields: &'a [FieldSpec], field: &FieldSpec) -> Option<&'a FieldSpec> {
    if field.has_positions() {
        return None;
    }
    let candidates = || {
        fields
            .iter()
            .filter(|f| f.has_positions() && f.from == field.from && f.for_lang.is_none())
    };
    candidates()
        .find(|f| f.analyzer.as_deref() == Some(analysis::STEMMED))
        .or_else(|| candidates().next())
}

/// Where a spanned value starts, for error positions.
fn at<T>(value: &Spanned<T>) -> Option<usize> {
    Some(value.span().start)
}

/// The short code of a `for_lang` value, normalized like an article's language.
fn lang_code(value: &Spanned<String>) -> Option<String> {
    crate::lang::normalize_lang(value.get_ref())
        .filter(|code| code.chars().all(|c| c.is_ascii_lowercase()))
}

/// Reads a data file of the schema folder (schema, aliases) whole, or says why not.
pub(crate) fn read_data_file(path: &Path) -> Result<(String, String), SchemaError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| SchemaError {
        origin: origin.clone(),
        line: None,
        message: format!("cannot read: {e}"),
    })?;
    Ok((origin, text))
}

/// A TOML data file being read, for errors that name its file and line.
pub(crate) struct Parser<'a> {
    origin: &'a str,
    text: &'a str,
}

/// The line and column of a byte offset of `text`, both from 1: where an error in a TOML file
/// (the schema, aliases, configuration, saved searches) is reported.
pub fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

impl<'a> Parser<'a> {
    /// A parser of `text`, read from `origin`.
    pub(crate) fn new(origin: &'a str, text: &'a str) -> Self {
        Parser { origin, text }
    }

    fn line_of(&self, offset: usize) -> usize {
        line_and_column(self.text, offset).0
    }

    pub(crate) fn error_at(
        &self,
        offset: Option<usize>,
        message: impl Into<String>,
    ) -> SchemaError {
        SchemaError {
            origin: self.origin.to_string(),
            line: offset.map(|o| self.line_of(o)),
            message: message.into(),
        }
    }

    /// Deserializes the whole file; a TOML error names its line.
    pub(crate) fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, SchemaError> {
        toml::from_str(self.text)
            .map_err(|e| self.error_at(e.span().map(|s| s.start), e.message().trim().to_string()))
    }

    fn field(&self, entry: FieldEntry) -> Result<FieldSpec, SchemaError> {
        let name = self.field_name(&entry)?;
        let field_type = self.field_type(&entry, &name)?;
        let from = self.field_source(&entry, &name, field_type)?;
        let analyzer = self.field_analyzer(&entry, &name, field_type)?;
        let boost = self.field_boost(&entry, &name, field_type)?;
        let for_lang = self.field_lang(&entry, &name, field_type)?;
        let positions = self.field_positions(&entry, &name, field_type, analyzer.as_deref())?;
        Ok(FieldSpec {
            name,
            field_type,
            from,
            analyzer,
            stored: entry.stored,
            indexed: entry.indexed,
            fast: entry.fast,
            boost,
            for_lang,
            positions,
        })
    }

    /// Whether a text field keeps positions: yes unless `positions = false`; name keys never
    /// do (they are looked up one by one, never in phrases); other types have none.
    fn field_positions(
        &self,
        entry: &FieldEntry,
        name: &str,
        field_type: FieldType,
        analyzer: Option<&str>,
    ) -> Result<bool, SchemaError> {
        let name_keys = analyzer == Some(analysis::NAME_KEYS);
        match &entry.positions {
            Some(p) if field_type != FieldType::Text => Err(self.error_at(
                at(p),
                format!("field `{name}`: only text fields have positions"),
            )),
            Some(p) if name_keys && *p.get_ref() => Err(self.error_at(
                at(p),
                format!(
                    "field `{name}`: `{}` keys have no positions (they are never searched as phrases)",
                    analysis::NAME_KEYS
                ),
            )),
            Some(p) => Ok(*p.get_ref()),
            None => Ok(field_type == FieldType::Text && !name_keys),
        }
    }

    /// The field's name, which must not be one of rasd's reserved `_` names.
    fn field_name(&self, entry: &FieldEntry) -> Result<String, SchemaError> {
        let name = entry.name.get_ref().clone();
        if name.starts_with('_') {
            return Err(self.error_at(
                at(&entry.name),
                format!("field `{name}`: names starting with `_` are reserved for rasd"),
            ));
        }
        Ok(name)
    }

    fn field_type(&self, entry: &FieldEntry, name: &str) -> Result<FieldType, SchemaError> {
        match entry.field_type.get_ref().as_str() {
            "text" => Ok(FieldType::Text),
            "keyword" => Ok(FieldType::Keyword),
            "date" => Ok(FieldType::Date),
            other => Err(self.error_at(
                at(&entry.field_type),
                format!("field `{name}`: unknown type `{other}` (expected text, keyword or date)"),
            )),
        }
    }

    /// The part of an article that fills the field (`from`, else the field's own name); only
    /// the date fills a date field, and a date field only the date.
    fn field_source(
        &self,
        entry: &FieldEntry,
        name: &str,
        field_type: FieldType,
    ) -> Result<ArticlePart, SchemaError> {
        let from_spanned = entry.from.as_ref().unwrap_or(&entry.name);
        let from = ArticlePart::from_name(from_spanned.get_ref()).ok_or_else(|| {
            let parts: Vec<&str> = ArticlePart::ALL.iter().map(|(n, _)| *n).collect();
            self.error_at(
                at(from_spanned),
                format!(
                    "field `{name}`: `{}` is not a part of an article (add `from = ...` with one of: {})",
                    from_spanned.get_ref(),
                    parts.join(", ")
                ),
            )
        })?;
        if (from == ArticlePart::Date) != (field_type == FieldType::Date) {
            return Err(self.error_at(
                at(&entry.field_type),
                format!("field `{name}`: only the article's date can fill a date field, and only a date field"),
            ));
        }
        Ok(from)
    }

    /// The field's analyzer: a known one, or the default of its type; none for a date.
    fn field_analyzer(
        &self,
        entry: &FieldEntry,
        name: &str,
        field_type: FieldType,
    ) -> Result<Option<String>, SchemaError> {
        match (&entry.analyzer, field_type) {
            (Some(a), FieldType::Date) => Err(self.error_at(
                at(a),
                format!("field `{name}`: a date field has no analyzer"),
            )),
            (Some(a), _) if !analysis::KNOWN_ANALYZERS.contains(&a.get_ref().as_str()) => Err(self
                .error_at(
                    at(a),
                    format!(
                        "field `{name}`: unknown analyzer `{}` (known: {})",
                        a.get_ref(),
                        analysis::KNOWN_ANALYZERS.join(", ")
                    ),
                )),
            (Some(a), _) => Ok(Some(a.get_ref().clone())),
            (None, FieldType::Text) => Ok(Some(analysis::STEMMED.to_string())),
            (None, FieldType::Keyword) => Ok(Some(analysis::KEYWORD.to_string())),
            (None, FieldType::Date) => Ok(None),
        }
    }

    /// The field's boost: a positive number, on text fields only.
    fn field_boost(
        &self,
        entry: &FieldEntry,
        name: &str,
        field_type: FieldType,
    ) -> Result<Option<f32>, SchemaError> {
        match &entry.boost {
            Some(b) if field_type != FieldType::Text => Err(self.error_at(
                Some(b.span().start),
                format!("field `{name}`: only text fields take a boost"),
            )),
            Some(b) if !(b.get_ref().is_finite() && *b.get_ref() > 0.0) => Err(self.error_at(
                Some(b.span().start),
                format!("field `{name}`: boost must be a positive number"),
            )),
            b => Ok(b.as_ref().map(|b| *b.get_ref())),
        }
    }

    /// The one language a text field is filled for, if limited.
    fn field_lang(
        &self,
        entry: &FieldEntry,
        name: &str,
        field_type: FieldType,
    ) -> Result<Option<String>, SchemaError> {
        match &entry.for_lang {
            Some(lang) if field_type != FieldType::Text => Err(self.error_at(
                at(lang),
                format!("field `{name}`: only text fields can be limited to a language"),
            )),
            Some(lang) => lang_code(lang).map(Some).ok_or_else(|| {
                self.error_at(
                    at(lang),
                    format!(
                        "field `{name}`: `{}` is not a language code",
                        lang.get_ref()
                    ),
                )
            }),
            None => Ok(None),
        }
    }

    fn fields(&self, entries: Vec<FieldEntry>) -> Result<Vec<FieldSpec>, SchemaError> {
        let mut fields: Vec<FieldSpec> = Vec::with_capacity(entries.len());
        // Where each field says `positions`, else where it starts: for the error below.
        let mut positions_at: Vec<usize> = Vec::with_capacity(entries.len());
        for entry in entries {
            let offset = entry.name.span().start;
            positions_at.push(entry.positions.as_ref().map_or(offset, |p| p.span().start));
            let field = self.field(entry)?;
            if fields.iter().any(|f| f.name == field.name) {
                return Err(self.error_at(
                    Some(offset),
                    format!("field `{}` is defined twice", field.name),
                ));
            }
            fields.push(field);
        }
        for (name, field_type) in REQUIRED_FIELDS {
            match fields.iter().find(|f| f.name == *name) {
                None => {
                    return Err(
                        self.error_at(None, format!("the schema must define the field `{name}`"))
                    );
                }
                Some(f) if f.field_type != *field_type => {
                    return Err(self.error_at(
                        None,
                        format!("field `{name}` must be of type {field_type:?}").to_lowercase(),
                    ));
                }
                Some(_) => {}
            }
        }
        for name in ["id", "title", "body"] {
            let field = fields
                .iter()
                .find(|f| f.name == name)
                .expect("checked above");
            if !field.stored || !field.indexed {
                return Err(
                    self.error_at(None, format!("field `{name}` must be stored and indexed"))
                );
            }
        }
        for (field, at) in fields.iter().zip(positions_at) {
            if field.boost.is_some()
                && !field.has_positions()
                && phrases_on(&fields, field).is_none()
            {
                return Err(self.error_at(
                    Some(at),
                    format!(
                        "field `{}` has no positions, and no other view of the article's {} \
                         filled for every language has them: its phrases could not be matched",
                        field.name,
                        field.from.name()
                    ),
                ));
            }
        }
        if !fields.iter().any(|f| f.boost.is_some()) {
            return Err(self.error_at(
                None,
                "no text field has a boost, so a query would search nothing",
            ));
        }
        Ok(fields)
    }
}

impl IndexSchema {
    /// The schema built into the binary (`index-schema/schema.toml`).
    pub fn builtin() -> IndexSchema {
        Self::parse("built-in schema", BUILTIN_SCHEMA, |file| {
            builtin_list(file)
                .map(str::to_string)
                .ok_or_else(|| format!("no built-in word list `{file}`"))
        })
        .expect("the built-in schema is valid")
    }

    /// The built-in schema's word lists, read without parsing the schema itself: what
    /// [`Self::builtin`]`().word_lists` holds, for the search passes that analyze with them
    /// (a test checks that the two agree).
    pub fn builtin_word_lists() -> WordLists {
        let list = |file| analysis::parse_word_list(builtin_list(file).expect("a built-in list"));
        WordLists {
            stopwords_ar: list("stopwords-ar.txt"),
            protected_ar: list("protected-ar.txt"),
            stopwords_fr: list("stopwords-fr.txt"),
            stopwords_en: list("stopwords-en.txt"),
        }
    }

    /// Reads a schema file; its word lists are read relative to the file's folder.
    pub fn from_file(path: &Path) -> Result<IndexSchema, SchemaError> {
        let (origin, text) = read_data_file(path)?;
        let folder = path.parent().unwrap_or(Path::new("."));
        Self::parse(&origin, &text, |file| {
            let list = folder.join(file);
            std::fs::read_to_string(&list)
                .map_err(|e| format!("cannot read word list {}: {e}", list.display()))
        })
    }

    /// Rebuilds a schema saved in an index, whose word lists are already loaded.
    pub fn from_saved(toml: &str, word_lists: WordLists) -> Result<IndexSchema, SchemaError> {
        let parser = Parser {
            origin: "schema saved in the index",
            text: toml,
        };
        let file: SchemaFile = parser.parse()?;
        Ok(IndexSchema {
            name: file.name,
            version: file.version,
            fields: parser.fields(file.fields)?,
            word_lists,
            toml: toml.to_string(),
        })
    }

    fn parse(
        origin: &str,
        text: &str,
        read_list: impl Fn(&str) -> Result<String, String>,
    ) -> Result<IndexSchema, SchemaError> {
        let parser = Parser { origin, text };
        let file: SchemaFile = parser.parse()?;
        let fields = parser.fields(file.fields)?;
        let list = |name: &str| {
            read_list(name)
                .map(|t| analysis::parse_word_list(&t))
                .map_err(|message| parser.error_at(None, message))
        };
        let optional = |name: &Option<String>| name.as_deref().map_or(Ok(vec![]), list);
        let word_lists = WordLists {
            stopwords_ar: list(&file.word_lists.stopwords_ar)?,
            protected_ar: list(&file.word_lists.protected_ar)?,
            stopwords_fr: optional(&file.word_lists.stopwords_fr)?,
            stopwords_en: optional(&file.word_lists.stopwords_en)?,
        };
        Ok(IndexSchema {
            name: file.name,
            version: file.version,
            fields,
            word_lists,
            toml: text.to_string(),
        })
    }

    /// The field with this name.
    pub fn field(&self, name: &str) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The tantivy schema for these fields.
    pub fn tantivy_schema(&self) -> Schema {
        let mut builder = SchemaBuilder::new();
        for field in &self.fields {
            match field.field_type {
                FieldType::Date => {
                    let mut options =
                        DateOptions::default().set_precision(DateTimePrecision::Seconds);
                    if field.indexed {
                        options = options.set_indexed();
                    }
                    if field.stored {
                        options = options.set_stored();
                    }
                    if field.fast {
                        options = options.set_fast();
                    }
                    builder.add_date_field(&field.name, options);
                }
                FieldType::Text | FieldType::Keyword => {
                    let mut options = TextOptions::default();
                    if field.indexed {
                        let analyzer = field.analyzer.as_deref().unwrap_or(analysis::STEMMED);
                        let record = match field.field_type {
                            FieldType::Text if field.positions => {
                                IndexRecordOption::WithFreqsAndPositions
                            }
                            FieldType::Text => IndexRecordOption::WithFreqs,
                            _ => IndexRecordOption::Basic,
                        };
                        options = options.set_indexing_options(
                            TextFieldIndexing::default()
                                .set_tokenizer(analyzer)
                                .set_index_option(record),
                        );
                    }
                    if field.stored {
                        options = options.set_stored();
                    }
                    if field.fast {
                        // Columns keep values as written, for display in statistics.
                        options = options.set_fast("raw");
                    }
                    builder.add_text_field(&field.name, options);
                }
            }
        }
        builder.add_text_field(reserved::FILE, STRING | FAST);
        builder.add_text_field(reserved::KIND, STRING);
        for name in [
            reserved::SIZE,
            reserved::HASH,
            reserved::ARTICLES,
            reserved::SHARES_IDS,
        ] {
            builder.add_u64_field(name, FAST);
        }
        builder.add_u64_field(reserved::SIGNATURE, FAST);
        builder.add_i64_field(reserved::MODIFIED, FAST);
        // Last: an index built before it has the same fields, numbered alike, without it.
        builder.add_u64_field(reserved::POSITION, FAST);
        builder.build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<IndexSchema, SchemaError> {
        IndexSchema::parse("test.toml", text, |_| Ok("في\n".to_string()))
    }

    #[test]
    fn builtin_schema_is_valid_and_complete() {
        let schema = IndexSchema::builtin();
        assert_eq!(schema.name, "rasd-news");
        for (name, _) in REQUIRED_FIELDS {
            assert!(schema.field(name).is_some(), "{name}");
        }
        assert!(!schema.word_lists.stopwords_ar.is_empty());
        assert!(
            schema
                .word_lists
                .protected_ar
                .contains(&"بحرين".to_string())
        );
        let tantivy = schema.tantivy_schema();
        assert!(tantivy.get_field("body_surface").is_ok());
        assert_eq!(IndexSchema::builtin_word_lists(), schema.word_lists);
    }

    #[test]
    fn unknown_analyzer_is_reported_with_its_line() {
        let text =
            BUILTIN_SCHEMA.replacen("analyzer = \"rasd_surface\"", "analyzer = \"arabic\"", 1);
        let line = text.lines().position(|l| l.contains("\"arabic\"")).unwrap() + 1;
        let err = parse(&text).unwrap_err();
        assert_eq!(err.line, Some(line));
        assert!(
            err.to_string().starts_with(&format!("test.toml:{line}: ")),
            "{err}"
        );
        assert!(err.message.contains("unknown analyzer `arabic`"), "{err}");
    }

    #[test]
    fn toml_syntax_errors_name_the_line() {
        let text = format!("{BUILTIN_SCHEMA}\n[[field]\nname = \"x\"\n");
        let err = parse(&text).unwrap_err();
        assert_eq!(err.line, Some(BUILTIN_SCHEMA.lines().count() + 2), "{err}");
    }

    #[test]
    fn unknown_keys_and_types_are_rejected() {
        let err = parse(&BUILTIN_SCHEMA.replacen("stored = true", "stord = true", 1)).unwrap_err();
        assert!(err.message.contains("stord"), "{err}");
        let err = parse(&BUILTIN_SCHEMA.replacen("type = \"date\"", "type = \"datetime\"", 1))
            .unwrap_err();
        assert!(err.message.contains("unknown type `datetime`"), "{err}");
    }

    #[test]
    fn missing_required_field_is_rejected() {
        let text = BUILTIN_SCHEMA.replace("name = \"url\"", "name = \"link\"\nfrom = \"url\"");
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("must define the field `url`"), "{err}");
    }

    #[test]
    fn reserved_names_are_rejected() {
        let text = format!("{BUILTIN_SCHEMA}\n[[field]]\nname = \"_file\"\ntype = \"keyword\"\n");
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("reserved"), "{err}");
    }

    #[test]
    fn surface_views_keep_no_positions_and_have_their_phrases_matched_on_the_stemmed_ones() {
        let schema = IndexSchema::builtin();
        let tantivy = schema.tantivy_schema();
        let positions = |name: &str| match tantivy
            .get_field_entry(tantivy.get_field(name).unwrap())
            .field_type()
        {
            tantivy::schema::FieldType::Str(options) => options
                .get_indexing_options()
                .unwrap()
                .index_option()
                .has_positions(),
            _ => unreachable!("text fields"),
        };
        for (view, checked_on) in [("title_surface", "title"), ("body_surface", "body")] {
            assert!(!positions(view), "{view}");
            assert!(positions(checked_on), "{checked_on}");
            let field = schema.field(view).unwrap();
            assert_eq!(phrases_on(&schema.fields, field).unwrap().name, checked_on);
        }
        for view in ["body_fr", "body_en", "author_words"] {
            assert!(positions(view), "{view}");
        }
        assert!(!positions("body_names"));
    }

    #[test]
    fn positions_are_checked() {
        let keyword = BUILTIN_SCHEMA.replacen(
            "name = \"url\"\ntype = \"keyword\"",
            "name = \"url\"\ntype = \"keyword\"\npositions = false",
            1,
        );
        let err = parse(&keyword).unwrap_err();
        assert!(
            err.message.contains("only text fields have positions"),
            "{err}"
        );
        // The url's is the last `positions = false`: the surface views say it before.
        let lines: Vec<&str> = keyword.lines().collect();
        let line = lines
            .iter()
            .rposition(|l| *l == "positions = false")
            .unwrap()
            + 1;
        assert_eq!(err.line, Some(line), "{err}");
        let names = BUILTIN_SCHEMA.replacen(
            "analyzer = \"rasd_name_keys\"",
            "analyzer = \"rasd_name_keys\"\npositions = true",
            1,
        );
        let err = parse(&names).unwrap_err();
        assert!(err.message.contains("keys have no positions"), "{err}");
        // Without positions in the stemmed body, the surface body's phrases have nowhere
        // to be matched.
        let body = BUILTIN_SCHEMA.replacen(
            "analyzer = \"rasd\"\nstored = true\nboost = 1.0",
            "analyzer = \"rasd\"\nstored = true\nboost = 1.0\npositions = false",
            1,
        );
        assert_ne!(body, BUILTIN_SCHEMA);
        let err = parse(&body).unwrap_err();
        assert!(
            err.message.contains("field `body` has no positions"),
            "{err}"
        );
        // Every view with positions again: valid, as schemas before `positions` were.
        let all = parse(&BUILTIN_SCHEMA.replace("positions = false\n", "")).unwrap();
        assert!(all.field("body_surface").unwrap().has_positions());
    }

    #[test]
    fn duplicate_fields_are_rejected() {
        let text = format!("{BUILTIN_SCHEMA}\n[[field]]\nname = \"url\"\ntype = \"keyword\"\n");
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("defined twice"), "{err}");
    }
}
