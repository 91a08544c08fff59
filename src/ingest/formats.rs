//! The article formats: plain text, Markdown with front matter, JSON, JSON Lines, HTML pages,
//! RSS/Atom feeds (`feed.rs`) and WARC web archives (`warc.rs`), each maybe gzip-compressed.
//!
//! Each parser turns decoded text into [`Record`]s: the raw metadata of one article, before ids,
//! dates and languages are settled (see [`super::Article`]). Unknown keys are ignored.

use serde_json::Value;

use super::decode::Framing;
use crate::article::Metadata;

/// One article as found in a file, before validation.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Record {
    /// 1-based line where the article starts (JSON Lines, JSON errors), for messages and ids.
    pub line: Option<usize>,
    /// 1-based position in a JSON array, for ids.
    pub item: Option<usize>,
    pub id: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    /// The date as written; settled into an instant later.
    pub date: Option<String>,
    pub meta: Metadata,
}

/// A record or a line that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// What is wrong.
    pub reason: String,
}

/// What a file held: the records, and the parts that could not be read.
#[derive(Debug, Default)]
pub struct Parsed {
    pub records: Vec<Record>,
    pub errors: Vec<FormatError>,
}

/// The supported formats, by file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Json,
    JsonLines,
    /// A saved web page: its main text and metadata (see [`super::html`]).
    Html,
    /// RSS 2.0 or Atom: one article per item (see [`super::feed`]).
    Feed,
    /// A WARC web archive: one article per HTML page (see [`super::warc`]); read as a stream.
    Warc,
}

impl Format {
    /// The format of a file with this extension (case-insensitive), if rasd reads it.
    pub fn from_extension(extension: &str) -> Option<Format> {
        match extension.to_ascii_lowercase().as_str() {
            "txt" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            "jsonl" | "ndjson" => Some(Format::JsonLines),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "xml" | "rss" | "atom" => Some(Format::Feed),
            "warc" => Some(Format::Warc),
            _ => None,
        }
    }

    /// Whether the format finds its own encoding in its bytes (an HTML page's `<meta charset>`):
    /// such files are read from their bytes by [`super::html::read_page`], not decoded first and
    /// given to [`Format::parse`].
    pub fn declares_encoding(self) -> bool {
        self == Format::Html
    }

    /// How the format's text is cut into inputs: JSON Lines into lines, each an input of its
    /// own, so that NUL bytes in a few of them fail those lines instead of the whole file.
    pub fn framing(self) -> Framing {
        if self == Format::JsonLines {
            Framing::Lines
        } else {
            Framing::Document
        }
    }

    /// The format of a file by its name, and whether it is gzip-compressed: `a.jsonl` is
    /// `(JsonLines, false)`, `a.jsonl.gz` `(JsonLines, true)`; a bare `a.gz` is not read.
    pub fn from_file_name(name: &str) -> Option<(Format, bool)> {
        let (stem, gzip) = match name.rsplit_once('.') {
            Some((stem, ext)) if ext.eq_ignore_ascii_case("gz") => (stem, true),
            _ => (name, false),
        };
        let (_, extension) = stem.rsplit_once('.')?;
        Format::from_extension(extension).map(|format| (format, gzip))
    }

    /// Whether files of this format are read record by record as a stream instead of whole:
    /// a web archive can be far larger than memory.
    pub fn streams(self) -> bool {
        self == Format::Warc
    }

    /// Parses decoded file contents (of a format read whole: not [`Format::streams`]).
    pub fn parse(self, text: &str) -> Parsed {
        match self {
            Format::Text => single(parse_text(text)),
            Format::Markdown => match parse_markdown(text) {
                Ok(record) => single(record),
                Err(e) => Parsed {
                    records: vec![],
                    errors: vec![e],
                },
            },
            Format::Json => parse_json(text),
            Format::JsonLines => parse_json_lines(text),
            Format::Html => {
                match super::html::parse_html_text(text, &super::html::HtmlContext::default()) {
                    Ok(record) => single(record),
                    Err(e) => Parsed {
                        records: vec![],
                        errors: vec![e.into()],
                    },
                }
            }
            Format::Feed => super::feed::parse_feed(text),
            // Its pages are bytes in their own charsets, not one text: see `SourceFile::stream`.
            Format::Warc => Parsed {
                records: vec![],
                errors: vec![FormatError {
                    line: None,
                    reason: "a web archive is read record by record, not as text".into(),
                }],
            },
        }
    }
}

fn single(record: Record) -> Parsed {
    Parsed {
        records: vec![record],
        errors: vec![],
    }
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// Splits off the first non-empty line as a title (a leading Markdown `#` is removed).
fn title_and_rest(text: &str) -> (Option<String>, &str) {
    let mut rest = text;
    while !rest.is_empty() {
        let (line, after) = rest.split_once('\n').unwrap_or((rest, ""));
        if let Some(title) = non_empty(line.trim().trim_start_matches('#')) {
            return (Some(title), after);
        }
        rest = after;
    }
    (None, "")
}

/// `.txt`: the first non-empty line is the title, the rest the body; or, when the file opens
/// with front matter as `.md` has it whose every key is one rasd reads (so that a text
/// opening with a `---` rule and a line such as `Breaking: …` stays text), that front matter
/// and the body after it.
pub fn parse_text(text: &str) -> Record {
    if text.starts_with("---")
        && let Ok(record) = parse_front_matter(text, Keys::OnlyKnown)
    {
        return record;
    }
    let (title, body) = title_and_rest(text);
    Record {
        title,
        body: non_empty(body),
        ..Record::default()
    }
}

/// Removes matching quotes around a front-matter value.
fn unquote(value: &str) -> &str {
    let value = value.trim();
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

/// A flow list `[a, "b", c]` or a comma-separated value.
fn list_values(value: &str) -> Vec<String> {
    let value = value.trim();
    let inner = value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .unwrap_or(value);
    inner
        .split(',')
        .filter_map(|v| non_empty(unquote(v)))
        .collect()
}

/// `.md`: optional front matter between `---` lines (flat `key: value` pairs; `tags` as a flow
/// list, a block list or comma-separated), then the body. Without a `title` key, the first
/// heading or line is the title.
pub fn parse_markdown(text: &str) -> Result<Record, FormatError> {
    let mut record = parse_front_matter(text, Keys::Any)?;
    record.body = record
        .body
        .map(without_heading_marks)
        .filter(|body| !body.is_empty());
    Ok(record)
}

/// A Markdown body without the `#` marks of its headings (`## Sub` → `Sub`), which are no
/// words: snippets showed them. A heading is a paragraph of its own, so that no phrase runs on
/// from it into the text below. Fenced code is left as written (a `# comment` there is text),
/// and so is a hashtag (`#داعش`: no space after the mark).
fn without_heading_marks(body: String) -> String {
    if !body.lines().any(|line| heading_text(line).is_some()) {
        return body;
    }
    let mut out = String::with_capacity(body.len() + 16);
    let mut fenced = false;
    let mut lines = body.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let start = line.trim_start();
        if start.starts_with("```") || start.starts_with("~~~") {
            fenced = !fenced;
        }
        match heading_text(line).filter(|_| !fenced) {
            Some(text) => {
                out.push_str(text);
                out.push('\n');
                if lines.peek().is_some_and(|next| !next.trim().is_empty()) {
                    out.push('\n');
                }
            }
            None => out.push_str(line),
        }
    }
    // Trimmed as every body is (an empty heading may open or close it).
    out.truncate(out.trim_end().len());
    out.drain(..out.len() - out.trim_start().len());
    out
}

/// The text of an ATX heading line (`## Sub ##` → `Sub`): up to three spaces, one to six `#`,
/// then a space or the end of the line; a closing run of `#` after a space is no text either.
fn heading_text(line: &str) -> Option<&str> {
    let line = line.trim_end_matches(['\n', '\r']);
    let rest = line.trim_start_matches(' ');
    if line.len() - rest.len() > 3 {
        return None;
    }
    let after = rest.trim_start_matches('#');
    let marks = rest.len() - after.len();
    if !(1..=6).contains(&marks) || !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let text = after.trim();
    let unclosed = text.trim_end_matches('#');
    Some(
        match unclosed.is_empty() || unclosed.ends_with([' ', '\t']) {
            true => unclosed.trim_end(),
            false => text,
        },
    )
}

/// Which keys front matter may have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// Any: those rasd does not read are left out.
    Any,
    /// Only those rasd reads: another is an error.
    OnlyKnown,
}

/// [`parse_markdown`], with front matter of these `keys`.
fn parse_front_matter(text: &str, keys: Keys) -> Result<Record, FormatError> {
    let mut record = Record::default();
    let mut body = text;
    let mut lines = text.split_inclusive('\n');
    if lines.next().is_some_and(|l| l.trim_end() == "---") {
        let mut consumed = text.split_inclusive('\n').next().map_or(0, str::len);
        let mut closed = false;
        let mut in_tags_block = false;
        for (i, line) in lines.enumerate() {
            consumed += line.len();
            let trimmed = line.trim();
            if trimmed == "---" || trimmed == "..." {
                closed = true;
                break;
            }
            if in_tags_block && let Some(item) = trimmed.strip_prefix("- ") {
                record.meta.tags.extend(non_empty(unquote(item)));
                continue;
            }
            in_tags_block = false;
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let Some((key, value)) = trimmed.split_once(':') else {
                return Err(FormatError {
                    line: Some(i + 2),
                    reason: format!(
                        "front matter line is not `key: value`: {}",
                        crate::clean::line(trimmed, crate::clean::VALUE_CHARS)
                    ),
                });
            };
            let value = unquote(value);
            match key.trim().to_ascii_lowercase().as_str() {
                "tags" | "keywords" if value.is_empty() => in_tags_block = true,
                "tags" | "keywords" => record.meta.tags = list_values(value),
                "title" => record.title = non_empty(value),
                "date" => record.date = non_empty(value),
                "source" => record.meta.source = non_empty(value),
                "lang" | "language" => record.meta.lang = non_empty(value),
                "url" => record.meta.url = non_empty(value),
                "id" => record.id = non_empty(value),
                "author" => record.meta.author = non_empty(value),
                _ if keys == Keys::Any => {}
                other => {
                    return Err(FormatError {
                        line: Some(i + 2),
                        reason: format!(
                            "front matter key rasd does not read: {}",
                            crate::clean::line(other, crate::clean::VALUE_CHARS)
                        ),
                    });
                }
            }
        }
        if !closed {
            return Err(FormatError {
                line: Some(1),
                reason: "front matter starts with `---` but is never closed".into(),
            });
        }
        body = &text[consumed..];
    }
    if record.title.is_none() {
        let (title, rest) = title_and_rest(body);
        record.title = title;
        body = rest;
    }
    record.body = non_empty(body);
    Ok(record)
}

/// A string or number as text, trimmed; a string trimmed in place, not copied: a body can be
/// hundreds of megabytes.
fn string_value(value: Option<Value>) -> Option<String> {
    match value? {
        Value::String(mut s) => {
            s.truncate(s.trim_end().len());
            s.drain(..s.len() - s.trim_start().len());
            (!s.is_empty()).then_some(s)
        }
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads the known keys of one JSON article object.
fn record_from_json(value: Value) -> Result<Record, String> {
    let Value::Object(mut map) = value else {
        return Err("expected an article object".into());
    };
    let tags = match map.remove("tags") {
        Some(Value::Array(items)) => items
            .into_iter()
            .filter_map(|v| string_value(Some(v)))
            .collect(),
        Some(Value::String(s)) => list_values(&s),
        _ => vec![],
    };
    let mut get = |key: &str| string_value(map.remove(key));
    Ok(Record {
        id: get("id"),
        title: get("title"),
        body: get("body")
            .or_else(|| get("content"))
            .or_else(|| get("text")),
        date: get("date"),
        meta: Metadata {
            source: get("source"),
            lang: get("lang").or_else(|| get("language")),
            url: get("url"),
            author: get("author"),
            tags,
        },
        ..Record::default()
    })
}

/// `.json`: one article object or an array of them.
pub fn parse_json(text: &str) -> Parsed {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Parsed {
                records: vec![],
                errors: vec![FormatError {
                    line: Some(e.line()),
                    reason: format!("invalid JSON: {e}"),
                }],
            };
        }
    };
    let mut parsed = Parsed::default();
    match value {
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                match record_from_json(item) {
                    Ok(record) => parsed.records.push(Record {
                        item: Some(i + 1),
                        ..record
                    }),
                    Err(reason) => parsed.errors.push(FormatError {
                        line: None,
                        reason: format!("item {}: {reason}", i + 1),
                    }),
                }
            }
        }
        other => match record_from_json(other) {
            Ok(record) => parsed.records.push(record),
            Err(reason) => parsed.errors.push(FormatError {
                line: Some(1),
                reason,
            }),
        },
    }
    parsed
}

/// One JSON Lines line: an article object (its `line` left unset).
pub fn parse_json_line(line: &str) -> Result<Record, String> {
    serde_json::from_str::<Value>(line)
        .map_err(|e| {
            // serde's place counts lines inside the line: "line 1" of the file's line 12
            // read as a contradiction. The column is what locates it.
            let text = e.to_string();
            let place = format!(" at line {} column {}", e.line(), e.column());
            let message = text.strip_suffix(&place).unwrap_or(&text);
            format!("invalid JSON: {message} at column {}", e.column())
        })
        .and_then(record_from_json)
}

/// `.jsonl` / `.ndjson`: one article object per line; blank lines are skipped.
pub fn parse_json_lines(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let line_no = i + 1;
        match parse_json_line(line) {
            Ok(record) => parsed.records.push(Record {
                line: Some(line_no),
                ..record
            }),
            Err(reason) => parsed.errors.push(FormatError {
                line: Some(line_no),
                reason,
            }),
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_json_line_is_located_by_its_column_not_a_line_inside_it() {
        let error = parse_json_line(r#"{"title": "a", "body": "b"#)
            .err()
            .unwrap();
        assert!(
            error.starts_with("invalid JSON: EOF while parsing"),
            "{error}"
        );
        assert!(error.ends_with("at column 25"), "{error}");
        assert!(!error.contains("line"), "{error}");
    }

    #[test]
    fn text_title_is_the_first_non_empty_line() {
        let r = parse_text("\n\n# تفكيك خلية\n\nنص المقال.\nسطر ثان.\n");
        assert_eq!(r.title.as_deref(), Some("تفكيك خلية"));
        assert_eq!(r.body.as_deref(), Some("نص المقال.\nسطر ثان."));
        assert_eq!(parse_text("").title, None);
        assert_eq!(parse_text("only a title").body, None);
    }

    #[test]
    fn markdown_front_matter() {
        let text = "---\ntitle: \"Raid: 3 arrests\"\ndate: 2024-03-12\nsource: Hespress\nlang: ar\nurl: https://x.test/a\ntags: [terrorism, \"morocco\"]\nauthor: A. B.\nid: hp-1\nunknown: kept out\n---\n\n## Sub\nBody text.\n";
        let r = parse_markdown(text).unwrap();
        assert_eq!(r.title.as_deref(), Some("Raid: 3 arrests"));
        assert_eq!(r.date.as_deref(), Some("2024-03-12"));
        assert_eq!(r.meta.source.as_deref(), Some("Hespress"));
        assert_eq!(r.meta.url.as_deref(), Some("https://x.test/a"));
        assert_eq!(r.meta.tags, vec!["terrorism", "morocco"]);
        assert_eq!(r.id.as_deref(), Some("hp-1"));
        assert_eq!(r.meta.author.as_deref(), Some("A. B."));
        assert_eq!(r.body.as_deref(), Some("Sub\n\nBody text."));
    }

    #[test]
    fn markdown_headings_lose_their_marks() {
        let body = |text: &str| parse_markdown(&format!("# Title\n{text}")).unwrap().body;
        assert_eq!(
            body("## تحد متزايد\nويشكل تهريب المخدرات").as_deref(),
            Some("تحد متزايد\n\nويشكل تهريب المخدرات")
        );
        assert_eq!(
            body("Text.\n\n### Sub ###\n\nMore.").as_deref(),
            Some("Text.\n\nSub\n\nMore.")
        );
        assert_eq!(
            body("Text.\n   # Indented\n").as_deref(),
            Some("Text.\nIndented")
        );
        // Not headings: a hashtag, seven marks, four spaces in, a closing `#` glued to a word,
        // code.
        for text in [
            "#داعش في الخبر",
            "####### seven",
            "Text.\n    # code",
            "```\n# comment\n```",
        ] {
            assert_eq!(body(text).as_deref(), Some(text), "{text}");
        }
        assert_eq!(body("## C# language").as_deref(), Some("C# language"));
        assert_eq!(body("##").as_deref(), None);
    }

    #[test]
    fn markdown_block_tags_and_heading_title() {
        let r = parse_markdown(
            "---\ntags:\n  - drugs\n  - border-security\nlang: fr\n---\n# Saisie record\n\nTexte.",
        )
        .unwrap();
        assert_eq!(r.meta.tags, vec!["drugs", "border-security"]);
        assert_eq!(r.title.as_deref(), Some("Saisie record"));
        assert_eq!(r.body.as_deref(), Some("Texte."));
    }

    #[test]
    fn text_takes_front_matter_of_known_keys_only() {
        let r = parse_text(
            "---
title: Raid
date: 2024-03-12
source: Hespress
---
Body.
",
        );
        assert_eq!(r.title.as_deref(), Some("Raid"));
        assert_eq!(r.date.as_deref(), Some("2024-03-12"));
        assert_eq!(r.meta.source.as_deref(), Some("Hespress"));
        assert_eq!(r.body.as_deref(), Some("Body."));
        // A rule, then a line with a colon: text, every line of it kept.
        let r = parse_text(
            "---
Breaking: blast in the port
---
More.
",
        );
        assert_eq!(r.title.as_deref(), Some("---"));
        assert_eq!(
            r.body.as_deref(),
            Some("Breaking: blast in the port\n---\nMore.")
        );
        // Never closed, or not `key: value`: text too.
        for text in [
            "---
title: x
",
            "---
just a line
---
body",
        ] {
            assert_eq!(parse_text(text).title.as_deref(), Some("---"), "{text}");
        }
    }

    #[test]
    fn markdown_without_front_matter_is_like_text() {
        let r = parse_markdown("# Title\nBody").unwrap();
        assert_eq!(
            (r.title.as_deref(), r.body.as_deref()),
            (Some("Title"), Some("Body"))
        );
    }

    #[test]
    fn unclosed_or_malformed_front_matter_is_an_error() {
        assert_eq!(
            parse_markdown("---\ntitle: x\nsource: y\n")
                .unwrap_err()
                .line,
            Some(1)
        );
        assert_eq!(
            parse_markdown("---\ntitle: x\nnot a pair\n---\n")
                .unwrap_err()
                .line,
            Some(3)
        );
    }

    #[test]
    fn json_object_and_array_with_body_synonyms() {
        let one =
            parse_json(r#"{"id": 7, "title": "T", "content": "C", "tags": "a, b", "extra": 1}"#);
        assert_eq!(one.records[0].id.as_deref(), Some("7"));
        assert_eq!(one.records[0].body.as_deref(), Some("C"));
        assert_eq!(one.records[0].meta.tags, vec!["a", "b"]);
        let many = parse_json(r#"[{"title": "A", "text": "x"}, 3, {"title": "B", "body": "y"}]"#);
        assert_eq!(many.records.len(), 2);
        assert_eq!(many.records[1].item, Some(3));
        assert_eq!(many.errors[0].reason, "item 2: expected an article object");
    }

    #[test]
    fn invalid_json_reports_its_line() {
        let parsed = parse_json("{\n\"title\": \"x\",\n\"body\": \n}");
        assert!(parsed.records.is_empty());
        assert_eq!(parsed.errors[0].line, Some(4));
    }

    #[test]
    fn json_lines_keep_going_after_a_bad_line() {
        let parsed =
            parse_json_lines("{\"title\":\"a\"}\n\n{\"title\": oops}\n{\"title\":\"c\"}\n[1]\n");
        assert_eq!(
            parsed.records.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![Some(1), Some(4)]
        );
        assert_eq!(
            parsed.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![Some(3), Some(5)]
        );
        assert!(parsed.errors[0].reason.starts_with("invalid JSON"));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// Nesting far deeper than serde_json's recursion limit is an error, not a stack overflow.
    #[test]
    fn deep_nesting_is_an_error() {
        let deep = "[".repeat(100_000);
        for format in [Format::Json, Format::JsonLines] {
            let parsed = format.parse(&deep);
            assert!(parsed.records.is_empty());
            assert!(
                parsed.errors[0].reason.contains("recursion limit"),
                "{:?}",
                parsed.errors
            );
        }
        let object = format!("{}{}", "{\"a\":".repeat(100_000), "1");
        assert!(parse_json(&object).records.is_empty());
    }

    /// A line of megabytes, valid or broken, is one record or one error.
    #[test]
    fn megabyte_lines_are_one_record_or_one_error() {
        let body = "نص ".repeat(500_000);
        let line = format!("{{\"title\":\"t\",\"body\":\"{body}\"}}");
        let parsed = parse_json_lines(&format!("{line}\n{}\n", &line[..line.len() - 1]));
        assert_eq!(parsed.records.len(), 1);
        assert_eq!(parsed.records[0].body.as_deref(), Some(body.trim()));
        assert_eq!(parsed.errors.len(), 1);
        let text = parse_text(&format!("{body}\n{body}"));
        assert_eq!(text.title.as_deref(), Some(body.trim()));
        let markdown = parse_markdown(&format!("---\ntitle: {body}\n---\n{body}")).unwrap();
        assert_eq!(markdown.title.as_deref(), Some(body.trim()));
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn no_parser_panics_on_arbitrary_text(text in "\\PC*|[-:\\[\\]{}\",\n#a-z]*") {
            for format in [Format::Text, Format::Markdown, Format::Json, Format::JsonLines] {
                let _ = format.parse(&text);
            }
        }

        #[test]
        fn no_feed_parse_or_salvage_panics(
            text in "(<rss>|<channel>|<item>|</item>|<entry>|</entry>|</feed>|&#[0-9x]{0,8};?|<title>|</title>|\\PC){0,40}"
        ) {
            let _ = Format::Feed.parse(&text);
            let _ = Format::Feed.parse(&format!("<rss version=\"2.0\"><channel>{text}"));
        }

        #[test]
        fn no_parser_panics_on_json_like_bytes(text in "[\\[\\]{}\":,0-9a-z\\\\ \n]{0,300}") {
            for format in [Format::Json, Format::JsonLines, Format::Markdown] {
                let _ = format.parse(&text);
            }
        }

        #[test]
        fn no_decoder_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let forced = [
                None,
                Some(encoding_rs::UTF_8),
                Some(encoding_rs::WINDOWS_1256),
                Some(encoding_rs::ISO_8859_6),
                Some(encoding_rs::UTF_16LE),
                Some(encoding_rs::UTF_16BE),
            ];
            for encoding in forced {
                if let Ok(decoded) = crate::ingest::decode::decode(bytes.clone(), encoding, Framing::Lines) {
                    for format in [Format::Text, Format::Markdown, Format::Json, Format::JsonLines] {
                        let _ = format.parse(&decoded.text);
                    }
                }
            }
        }
    }
}
