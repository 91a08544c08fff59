//! Saved web pages (`.html`, `.htm`, `.xhtml`): the article's main text and its metadata.
//!
//! The page is parsed as browsers do (`scraper` on `html5ever`), so malformed markup is never an
//! error. The main text is found by rules measured on the extraction test set
//! (`crates/rasd-eval/tests/extraction`): paragraphs are scored into the container that holds
//! most article prose, and inside it navigation, share, "read also", comment and advertising
//! blocks are left out. Every walk over the tree is iterative, so nesting never costs the stack;
//! and a page nested deeper than [`MAX_NESTING`] levels is refused as soon as the parser gets
//! there, because html5ever's tree builder, like a browser's, looks through the open elements
//! at each block tag: its time grows with the square of the depth (`examples/nesting-bench.rs`:
//! 50,000 nested `<div>` took 13 s, 50,000 `<ul><li>` a minute).

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use ego_tree::NodeId;
use encoding_rs::{Encoding, UTF_8};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, QualName, local_name, ns};
use scraper::node::Node;
use scraper::{ElementRef, Html, HtmlTreeSink, Selector};
use serde_json::Value;

use super::decode::{self, DecodeError};
use super::formats::{FormatError, Record};

/// What a page's container (a WARC record, a feed item) knows about it, used when the page
/// itself does not say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HtmlContext {
    /// The address the page was fetched from.
    pub url: Option<String>,
    /// The date the page was fetched or published, as written.
    pub fallback_date: Option<String>,
    /// The charset the HTTP response's `Content-Type` names: after a BOM, before the page's own.
    pub charset: Option<String>,
}

/// Why a page gave no article.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum HtmlError {
    /// NUL bytes without a UTF-16 BOM: not a page.
    #[error(transparent)]
    Binary(#[from] DecodeError),
    /// Only navigation, links and boilerplate: nothing that reads as an article.
    #[error("no article text in the page (only navigation, links or boilerplate)")]
    NoArticleText,
    /// Elements nested deeper than [`MAX_NESTING`]: hostile or broken markup, which would
    /// take the parser minutes.
    #[error("nesting deeper than {MAX_NESTING} levels (hostile or broken markup)")]
    TooDeep,
}

impl From<HtmlError> for FormatError {
    fn from(e: HtmlError) -> Self {
        FormatError {
            line: None,
            reason: e.to_string(),
        }
    }
}

/// A page read from bytes: its article, and how its bytes were decoded.
#[derive(Debug)]
pub struct Page {
    /// The article, as [`parse_html`] gives it.
    pub record: Record,
    /// The encoding used (`UTF-8`, `windows-1256`…).
    pub encoding: &'static str,
    /// Malformed byte sequences replaced by U+FFFD.
    pub replaced: usize,
    /// Stray NUL bytes left out of the text.
    pub nuls_removed: usize,
    /// A charset label the page declares that names no known encoding (it was detected instead).
    pub unknown_charset: Option<String>,
    /// Whether the page or its HTTP response declared UTF-8 for bytes that are not UTF-8, even
    /// with a few bad bytes: the encoding was detected instead.
    pub not_utf8: bool,
    /// The single-byte encoding the page or its HTTP response declared for bytes that are
    /// UTF-8 beyond ASCII, which were read as UTF-8 instead.
    pub utf8_not_declared: Option<&'static str>,
}

impl Page {
    /// What its decoding says of the page, as warnings: a charset declared wrong or unknown,
    /// bytes replaced, NUL bytes left out. The same for a saved page and a web archive's.
    pub fn decoding_warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if let Some(label) = &self.unknown_charset {
            warnings.push(format!(
                "the page declares an unknown charset {}; decoded as {} (detected)",
                super::quoted(label),
                self.encoding
            ));
        }
        if self.not_utf8 {
            warnings.push(format!(
                "the page declares UTF-8 but is not valid UTF-8; decoded as {} (detected)",
                self.encoding
            ));
        }
        if let Some(declared) = self.utf8_not_declared {
            warnings.push(format!(
                "the page declares {declared} but is UTF-8; decoded as UTF-8"
            ));
        }
        if self.replaced > 0 {
            warnings.push(super::replaced_reason(self.replaced, self.encoding));
        }
        if self.nuls_removed > 0 {
            warnings.push(super::nuls_reason(self.nuls_removed));
        }
        warnings
    }
}

/// Reads an HTML page from its bytes: the charset from the BOM, the context's HTTP charset,
/// `<meta charset>` or `http-equiv`, else detected; then [`parse_html_text`].
pub fn parse_html(bytes: &[u8], context: &HtmlContext) -> Result<Record, FormatError> {
    Ok(read_page(bytes, None, context)?.record)
}

/// [`parse_html`], with the decoding reported; `forced` (`--encoding`) wins over what the page
/// declares.
pub fn read_page(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    context: &HtmlContext,
) -> Result<Page, HtmlError> {
    let text = decode_page(bytes, forced, context.charset.as_deref())?;
    let record = parse_html_text(&text.decoded.text, context)?;
    Ok(Page {
        record,
        encoding: text.decoded.encoding,
        replaced: text.decoded.replaced,
        nuls_removed: text.decoded.nuls_removed,
        unknown_charset: text.unknown_charset,
        not_utf8: text.not_utf8,
        utf8_not_declared: text.utf8_not_declared,
    })
}

/// A page's bytes as text, and what was wrong with the charset it declared.
#[derive(Debug)]
pub struct PageText {
    /// The text, and the encoding it was decoded from.
    pub decoded: decode::Decoded,
    /// A label, given or declared, that names no encoding.
    pub unknown_charset: Option<String>,
    /// Whether UTF-8 was declared for bytes that are not UTF-8 (see [`Page::not_utf8`]).
    pub not_utf8: bool,
    /// The encoding declared for bytes that are UTF-8 (see [`Page::utf8_not_declared`]).
    pub utf8_not_declared: Option<&'static str>,
}

/// A page's bytes as text: `forced` when given, else the BOM's encoding, else the charset its
/// HTTP response names (`http_charset`), else the one the page declares, else detected: the
/// order browsers follow, but for a declared UTF-8 that the bytes are not, which is detected.
pub fn decode_page(
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    http_charset: Option<&str>,
) -> Result<PageText, HtmlError> {
    let mut unknown_charset = None;
    let mut known = |label: String, in_page: bool| match Encoding::for_label(label.as_bytes()) {
        // A page cannot declare UTF-16 in ASCII it would not be written in (HTML standard):
        // such a declaration means UTF-8. HTTP can name it.
        Some(e) if in_page && e.output_encoding() == UTF_8 => Some(UTF_8),
        Some(e) => Some(e),
        None => {
            unknown_charset.get_or_insert(label);
            None
        }
    };
    let encoding = match forced {
        Some(encoding) => Some(encoding),
        None if Encoding::for_bom(bytes).is_some() => None,
        None => http_charset
            .and_then(|label| known(label.to_string(), false))
            .or_else(|| declared_charset(bytes).and_then(|label| known(label, true))),
    };
    // What `decode` checks when it detects, for a page that declares its charset: NUL bytes
    // are not text in any charset a page can declare (`--encoding utf-16le` may mean them).
    let utf_16 = |e: &'static Encoding| e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE;
    if forced.is_none()
        && encoding.is_some_and(|e| !utf_16(e))
        && bytes.contains(&0)
        && decode::Framing::Document.is_binary(bytes)
    {
        return Err(DecodeError::Binary.into());
    }
    // Templates and servers say UTF-8 whatever the bytes: a windows-1256 page labelled so
    // decoded as UTF-8 is all U+FFFD, and no article. Detection, as for a page that declares
    // nothing, still gives UTF-8 to UTF-8 with a few bad bytes.
    let declared_utf8 = forced.is_none() && encoding == Some(UTF_8);
    let encoding = encoding.filter(|_| !declared_utf8 || std::str::from_utf8(bytes).is_ok());
    // And the reverse: a page saved again as UTF-8 keeps its old `windows-1256` declaration.
    // Arabic in a single-byte encoding is never valid UTF-8 (two letters in a row are two
    // lead bytes), so valid UTF-8 beyond ASCII is UTF-8 whatever the page says.
    let utf8_not_declared = encoding
        .filter(|&e| forced.is_none() && e != UTF_8 && !utf_16(e))
        .filter(|_| !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok());
    let encoding = encoding.filter(|_| utf8_not_declared.is_none());
    let decoded = decode::decode(bytes.to_vec(), encoding, decode::Framing::Document)?;
    Ok(PageText {
        not_utf8: declared_utf8 && decoded.encoding != UTF_8.name(),
        utf8_not_declared: utf8_not_declared.map(Encoding::name),
        decoded,
        unknown_charset,
    })
}

/// How far into a page its charset declaration is looked for (the HTML standard's prescan
/// reads 1024 bytes; real pages put long scripts and comments first).
const PRESCAN_BYTES: usize = 8192;

/// The charset a page's `<meta charset>` or `<meta http-equiv content="…; charset=…">` names.
fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta") {
        let start = from + at + 5;
        let end = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(c) = find(tag, b"charset") {
            let value = tag[c + 7..]
                .iter()
                .skip_while(|b| b.is_ascii_whitespace() || **b == b'=')
                .skip_while(|b| **b == b'"' || **b == b'\'')
                .take_while(|b| {
                    !matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') && !b.is_ascii_whitespace()
                })
                .map(|&b| b as char)
                .collect::<String>();
            if !value.is_empty() {
                return Some(value);
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads a page already decoded to text: main text as the body, metadata from the best source
/// present, `context` for what the page does not say.
pub fn parse_html_text(text: &str, context: &HtmlContext) -> Result<Record, HtmlError> {
    let document = parse_bounded(text, Tree::Document)?;
    let mut record = PageMeta::read(&document).into_record(context);
    let body = main_text(&document, record.title.as_deref());
    if body.is_empty() {
        return Err(HtmlError::NoArticleText);
    }
    record.body = Some(body);
    Ok(record)
}

/// An HTML fragment (a feed's `content:encoded` or description) as plain text, one paragraph
/// per block, paragraphs separated by a blank line; an error when it nests deeper than
/// [`MAX_NESTING`] levels.
pub fn html_to_text(fragment: &str) -> Result<String, HtmlError> {
    let html = parse_bounded(fragment, Tree::Fragment)?;
    let mut text = TextWriter::default();
    text.write(html.root_element(), false);
    Ok(text.finish())
}

// ---------------------------------------------------------------------------------------------
// Parsing, bounded

/// How deep elements may nest. Each block tag makes html5ever look through the open elements
/// (for a `<p>` to close), so a page's parse costs about its tags times its depth: at this depth
/// the worst page (a megabyte of `<li>` under 250 `<span>`) costs about a second
/// (`examples/nesting-bench.rs`). Real pages stay far below: at most 12 levels in the extraction
/// test set and the sample pages; Blink stops nesting at 512.
pub const MAX_NESTING: usize = 256;

/// Text is given to the parser in pieces of about this many bytes, and the depth checked after
/// each: a page refused has cost the parser at most one piece beyond the limit.
const PARSE_PIECE: usize = 8192;

/// What the parser builds.
#[derive(Clone, Copy)]
enum Tree {
    Document,
    Fragment,
}

/// Parses as `Html::parse_document` or `Html::parse_fragment` do, but stops with
/// [`HtmlError::TooDeep`] once an element lies deeper than [`MAX_NESTING`].
fn parse_bounded(text: &str, tree: Tree) -> Result<Html, HtmlError> {
    let sink = BoundedSink {
        inner: HtmlTreeSink::new(match tree {
            Tree::Document => Html::new_document(),
            Tree::Fragment => Html::new_fragment(),
        }),
        depths: RefCell::default(),
        too_deep: Cell::new(false),
    };
    let mut parser = match tree {
        Tree::Document => html5ever::driver::parse_document(sink, Default::default()),
        Tree::Fragment => html5ever::driver::parse_fragment(
            sink,
            Default::default(),
            QualName::new(None, ns!(html), local_name!("body")),
            Vec::new(),
            false,
        ),
    };
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = rest.len().min(PARSE_PIECE);
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..end]));
        rest = &rest[end..];
        if parser.tokenizer.sink.sink.too_deep.get() {
            return Err(HtmlError::TooDeep);
        }
    }
    let (html, too_deep) = parser.finish();
    if too_deep {
        return Err(HtmlError::TooDeep);
    }
    Ok(html)
}

/// scraper's tree sink, noting how deep each element is placed and whether one went deeper than
/// [`MAX_NESTING`]. Depths are those at insertion: the adoption agency's moves are not followed,
/// which only makes the count approximate for misnested formatting tags.
struct BoundedSink {
    inner: HtmlTreeSink,
    depths: RefCell<HashMap<NodeId, usize>>,
    too_deep: Cell<bool>,
}

impl BoundedSink {
    /// Notes the depth of a node just placed in the tree: one more than its parent's.
    fn placed(&self, node: Option<NodeId>) {
        let Some(node) = node else { return };
        let parent = self
            .inner
            .0
            .borrow()
            .tree
            .get(node)
            .and_then(|n| n.parent())
            .map(|p| p.id());
        let mut depths = self.depths.borrow_mut();
        let depth = parent.and_then(|p| depths.get(&p)).copied().unwrap_or(0) + 1;
        depths.insert(node, depth);
        if depth > MAX_NESTING {
            self.too_deep.set(true);
        }
    }
}

fn node_of(child: &NodeOrText<NodeId>) -> Option<NodeId> {
    match child {
        NodeOrText::AppendNode(node) => Some(*node),
        NodeOrText::AppendText(_) => None,
    }
}

impl TreeSink for BoundedSink {
    type Handle = NodeId;
    type Output = (Html, bool);
    type ElemName<'a> = <HtmlTreeSink as TreeSink>::ElemName<'a>;

    fn finish(self) -> (Html, bool) {
        (self.inner.finish(), self.too_deep.get())
    }
    fn parse_error(&self, msg: Cow<'static, str>) {
        self.inner.parse_error(msg)
    }
    fn get_document(&self) -> NodeId {
        self.inner.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> Self::ElemName<'a> {
        self.inner.elem_name(target)
    }
    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.inner.create_element(name, attrs, flags)
    }
    fn create_comment(&self, text: StrTendril) -> NodeId {
        self.inner.create_comment(text)
    }
    fn create_pi(&self, target: StrTendril, data: StrTendril) -> NodeId {
        self.inner.create_pi(target, data)
    }
    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let node = node_of(&child);
        self.inner.append(parent, child);
        self.placed(node);
    }
    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        let node = node_of(&child);
        self.inner
            .append_based_on_parent_node(element, prev_element, child);
        self.placed(node);
    }
    fn append_doctype_to_document(
        &self,
        name: StrTendril,
        public_id: StrTendril,
        system_id: StrTendril,
    ) {
        self.inner
            .append_doctype_to_document(name, public_id, system_id)
    }
    fn mark_script_already_started(&self, node: &NodeId) {
        self.inner.mark_script_already_started(node)
    }
    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        self.inner.get_template_contents(target)
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.inner.same_node(x, y)
    }
    fn set_quirks_mode(&self, mode: QuirksMode) {
        self.inner.set_quirks_mode(mode)
    }
    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let node = node_of(&new_node);
        self.inner.append_before_sibling(sibling, new_node);
        self.placed(node);
    }
    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        self.inner.add_attrs_if_missing(target, attrs)
    }
    fn remove_from_parent(&self, target: &NodeId) {
        self.inner.remove_from_parent(target)
    }
    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        self.inner.reparent_children(node, new_parent)
    }
}

// ---------------------------------------------------------------------------------------------
// Metadata

/// Everything the page says about itself, each field from every source, best first.
#[derive(Debug, Default)]
struct PageMeta {
    titles: Vec<String>,
    title_tag: Option<String>,
    dates: Vec<String>,
    sources: Vec<String>,
    urls: Vec<String>,
    lang: Option<String>,
    tags: Vec<String>,
    authors: Vec<String>,
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("a valid selector written in the code")
}

fn clean_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push(values: &mut Vec<String>, value: Option<&str>) {
    if let Some(value) = value.map(clean_text).filter(|v| !v.is_empty())
        && !values.contains(&value)
    {
        values.push(value);
    }
}

impl PageMeta {
    fn read(document: &Html) -> PageMeta {
        let mut meta = PageMeta::default();
        let json_ld = JsonLd::read(document);
        let mut og_title = None;
        let mut published = vec![];
        let mut og_site = None;
        let mut og_url = None;
        let mut keywords = vec![];
        let mut authors = vec![];
        for element in document.select(&selector("meta[content]")) {
            let key = element
                .attr("property")
                .or_else(|| element.attr("name"))
                .or_else(|| element.attr("itemprop"))
                .unwrap_or_default()
                .to_ascii_lowercase();
            let content = element.attr("content");
            match key.as_str() {
                "og:title" | "twitter:title" if og_title.is_none() => og_title = content,
                "article:published_time"
                | "og:published_time"
                | "datepublished"
                | "date"
                | "pubdate"
                | "publish-date"
                | "dc.date.issued"
                | "dc.date"
                | "sailthru.date"
                | "parsely-pub-date" => push(&mut published, content),
                "og:site_name" | "application-name" if og_site.is_none() => og_site = content,
                "og:url" if og_url.is_none() => og_url = content,
                "article:tag" => push(&mut keywords, content),
                "keywords" | "news_keywords" => {
                    for word in content.unwrap_or_default().split([',', '،', ';']) {
                        push(&mut keywords, Some(word));
                    }
                }
                // `article:author` is often a profile's URL, not a name.
                "author" | "article:author" | "dc.creator"
                    if !content.is_some_and(|c| c.starts_with("http")) =>
                {
                    push(&mut authors, content)
                }
                _ => {}
            }
        }
        push(&mut meta.titles, og_title);
        push(&mut meta.titles, json_ld.headline.as_deref());
        let h1 = selector("article h1, main h1, [itemprop=headline], h1");
        push(
            &mut meta.titles,
            document
                .select(&h1)
                .next()
                .map(|h| h.text().collect::<String>())
                .as_deref(),
        );
        meta.title_tag = document
            .select(&selector("title"))
            .next()
            .map(|t| clean_text(&t.text().collect::<String>()))
            .filter(|t| !t.is_empty());

        push(&mut meta.dates, json_ld.date_published.as_deref());
        for date in published {
            push(&mut meta.dates, Some(&date));
        }
        let time = selector("time[datetime]");
        let article_time = document
            .select(&time)
            .take(MAX_TIMES)
            .find(|t| !in_comments(*t))
            .and_then(|t| t.attr("datetime"));
        push(&mut meta.dates, article_time);

        push(&mut meta.sources, og_site);
        push(&mut meta.sources, json_ld.publisher.as_deref());

        let canonical = selector("link[rel~=canonical][href]");
        push(
            &mut meta.urls,
            document
                .select(&canonical)
                .next()
                .and_then(|l| l.attr("href")),
        );
        push(&mut meta.urls, og_url);
        push(&mut meta.urls, json_ld.url.as_deref());

        meta.lang = document
            .root_element()
            .attr("lang")
            .or_else(|| document.root_element().attr("xml:lang"))
            .map(clean_text)
            .filter(|l| !l.is_empty());
        for tag in keywords.into_iter().chain(json_ld.keywords) {
            push(&mut meta.tags, Some(&tag));
        }
        for author in json_ld.authors.into_iter().chain(authors) {
            push(&mut meta.authors, Some(&author));
        }
        meta
    }

    /// The record of the page, but its body.
    fn into_record(self, context: &HtmlContext) -> Record {
        let url = self.urls.into_iter().next().or_else(|| context.url.clone());
        let source = self
            .sources
            .into_iter()
            .next()
            .or_else(|| url.as_deref().and_then(domain))
            .or_else(|| context.url.as_deref().and_then(domain));
        let title = self
            .titles
            .into_iter()
            .next()
            .or_else(|| {
                self.title_tag
                    .map(|t| without_site_name(&t, source.as_deref()))
            })
            .map(|t| without_site_name(&t, source.as_deref()));
        let date = self
            .dates
            .iter()
            .find_map(|d| usable_date(d))
            .or_else(|| url.as_deref().and_then(date_in_url))
            .or_else(|| context.url.as_deref().and_then(date_in_url))
            .or_else(|| context.fallback_date.clone())
            // None readable: the first as written, which rasd reports as invalid.
            .or_else(|| self.dates.first().cloned());
        Record {
            title,
            date,
            meta: crate::article::Metadata {
                source,
                lang: self.lang,
                url,
                author: self.authors.into_iter().next(),
                tags: self.tags,
            },
            ..Record::default()
        }
    }
}

/// How many `<time>` elements are looked at for the article's date.
const MAX_TIMES: usize = 20;

/// Words in a class or id that mark comments and lists of other articles, whose dates are not
/// the article's.
const OTHER_DATES_WORDS: &[&str] = &[
    "comment",
    "comments",
    "reply",
    "replies",
    "respond",
    "related",
    "recommended",
    "popular",
    "sidebar",
    "widget",
    "disqus",
    "teaser",
    "teasers",
    "latest",
];

/// Whether an element is inside comments, an aside or a list of other articles.
fn in_comments(element: ElementRef) -> bool {
    element.ancestors().filter_map(ElementRef::wrap).any(|a| {
        let e = a.value();
        matches!(e.name(), "aside" | "nav")
            || [e.attr("class"), e.attr("id")]
                .into_iter()
                .flatten()
                .any(|v| {
                    v.to_ascii_lowercase()
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|w| OTHER_DATES_WORDS.contains(&w))
                })
    })
}

/// A date as rasd reads it: as written when it parses, else its leading `YYYY-MM-DD`
/// (`2024-03-12T10:00:00+0100`, `2024-03-12 10h00` are common in pages).
fn usable_date(text: &str) -> Option<String> {
    let text = text.trim();
    if crate::dates::parse_date(text).is_ok() {
        return Some(text.to_string());
    }
    let day = text.get(..10)?;
    crate::dates::parse_date(day)
        .is_ok()
        .then(|| day.to_string())
}

/// A `/2024/03/12/` or `2024-03-12` in a URL's path.
fn date_in_url(url: &str) -> Option<String> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let parts: Vec<&str> = path.split(['/', '?', '#']).collect();
    for window in parts.windows(3) {
        let [y, m, d] = window else { continue };
        if y.len() == 4 && m.len() <= 2 && d.len() <= 2 {
            let candidate = format!("{y}-{m:0>2}-{d:0>2}");
            if crate::dates::parse_date(&candidate).is_ok() {
                return Some(candidate);
            }
        }
    }
    parts.iter().find_map(|part| {
        part.char_indices()
            .filter(|(_, c)| c.is_ascii_digit())
            .find_map(|(i, _)| part.get(i..i + 10).and_then(usable_date_strict))
    })
}

fn usable_date_strict(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-')
        .then(|| {
            crate::dates::parse_date(text)
                .ok()
                .map(|_| text.to_string())
        })
        .flatten()
}

/// The host of a URL, without `www.`.
fn domain(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.rsplit('@').next()?.trim_start_matches("www.");
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Separators between a page's title and its site's name in `<title>`.
const TITLE_SEPARATORS: &[&str] = &[" | ", " - ", " – ", " — ", " :: ", " « ", " » ", " · "];

/// `Title | Site` → `Title`: a first or last part that names the site is dropped, else a
/// last part of at most four words after a title of three or more.
fn without_site_name(title: &str, site: Option<&str>) -> String {
    for separator in TITLE_SEPARATORS {
        let Some((head, tail)) = title.rsplit_once(separator) else {
            continue;
        };
        let (head, tail) = (head.trim(), tail.trim());
        let names_site = |part: &str| {
            site.is_some_and(|s| {
                let (s, p) = (s.to_lowercase(), part.to_lowercase());
                !p.is_empty() && (s.contains(&p) || p.contains(&s))
            })
        };
        if names_site(tail) && !head.is_empty() {
            return head.to_string();
        }
        if let Some((site_part, rest)) = title.split_once(separator)
            && names_site(site_part.trim())
            && !rest.trim().is_empty()
        {
            return rest.trim().to_string();
        }
        // As readability does: a short last part after a separator is the site's name.
        if tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 3 {
            return head.to_string();
        }
    }
    title.to_string()
}

/// What the page's JSON-LD says of its article. Blocks that are not JSON are ignored.
#[derive(Debug, Default)]
struct JsonLd {
    headline: Option<String>,
    date_published: Option<String>,
    publisher: Option<String>,
    url: Option<String>,
    keywords: Vec<String>,
    authors: Vec<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BlogPosting",
    "WebPage",
    "Report",
];

fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(clean_text(s)).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(|v| string(Some(v))),
        Value::Object(map) => string(map.get("name")),
        _ => None,
    }
}

impl JsonLd {
    fn read(document: &Html) -> JsonLd {
        let mut found = JsonLd::default();
        let mut best_rank = usize::MAX;
        for script in document.select(&selector("script[type='application/ld+json']")) {
            let text: String = script.text().collect();
            let text = text.trim().trim_start_matches("<![CDATA[");
            let text = text.trim_end_matches("]]>");
            let Ok(value) = serde_json::from_str::<Value>(text) else {
                continue;
            };
            // Objects nest in arrays and `@graph`s: an explicit stack, whatever the depth.
            let mut stack = vec![&value];
            while let Some(value) = stack.pop() {
                match value {
                    Value::Array(items) => stack.extend(items.iter().rev()),
                    Value::Object(map) => {
                        if let Some(graph) = map.get("@graph") {
                            stack.push(graph);
                        }
                        let types: Vec<&str> = match map.get("@type") {
                            Some(Value::String(t)) => vec![t],
                            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
                            _ => vec![],
                        };
                        let rank = types
                            .iter()
                            .filter_map(|t| ARTICLE_TYPES.iter().position(|a| a == t))
                            .min();
                        if let Some(rank) = rank
                            && rank < best_rank
                        {
                            best_rank = rank;
                            found = JsonLd::from_article(map);
                        }
                    }
                    _ => {}
                }
            }
        }
        found
    }

    fn from_article(map: &serde_json::Map<String, Value>) -> JsonLd {
        let keywords = match map.get("keywords") {
            Some(Value::String(s)) => s.split([',', '،']).map(clean_text).collect(),
            Some(Value::Array(items)) => items.iter().filter_map(|v| string(Some(v))).collect(),
            _ => vec![],
        };
        let authors = match map.get("author") {
            Some(Value::Array(items)) => items.iter().filter_map(|v| string(Some(v))).collect(),
            other => string(other).into_iter().collect(),
        };
        JsonLd {
            headline: string(map.get("headline")).or_else(|| string(map.get("name"))),
            date_published: string(map.get("datePublished")),
            publisher: string(map.get("publisher")),
            url: string(map.get("url")).or_else(|| match map.get("mainEntityOfPage") {
                Some(Value::Object(page)) => string(page.get("@id")),
                other => string(other),
            }),
            keywords: keywords.into_iter().filter(|k| !k.is_empty()).collect(),
            authors,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Main text

/// Elements whose content is never article text.
const SKIPPED_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "aside",
    "footer",
    "header",
    "form",
    "button",
    "iframe",
    "svg",
    "select",
    "figure",
    "figcaption",
    "menu",
    "dialog",
    "head",
    "title",
    "input",
    "textarea",
    "object",
    "embed",
    "canvas",
    "video",
    "audio",
    "label",
];

/// Words in a class or id that mark a block around the article, not in it.
const BOILERPLATE_WORDS: &[&str] = &[
    "share",
    "sharing",
    "social",
    "related",
    "also",
    "aussi",
    "comment",
    "comments",
    "newsletter",
    "banner",
    "cookie",
    "cookies",
    "consent",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "pub",
    "promo",
    "subscribe",
    "subscription",
    "breadcrumb",
    "breadcrumbs",
    "byline",
    "sidebar",
    "widget",
    "popular",
    "trending",
    "recommended",
    "tags",
    "author",
    "caption",
    "footer",
    "header",
    "nav",
    "navbar",
    "menu",
    "outbrain",
    "taboola",
    "sponsored",
    "pagination",
    "toolbar",
    "disqus",
    "reactions",
    "respond",
    "replies",
    "modal",
    "popup",
    "signup",
    "meta",
    "lire",
    "readmore",
    "more",
    "hidden",
];

/// Elements that end a paragraph.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "table",
    "tr",
    "td",
    "th",
    "dl",
    "dt",
    "dd",
    "body",
    "br",
    "hr",
    "address",
    "center",
];

/// Paragraph openings of links to other articles.
const READ_ALSO: &[&str] = &[
    "read also",
    "read more",
    "see also",
    "related:",
    "related article",
    "lire aussi",
    "à lire aussi",
    "a lire aussi",
    "lire également",
    "voir aussi",
    "à lire",
    "اقرأ أيضا",
    "اقرأ أيضاً",
    "إقرأ أيضا",
    "إقرأ أيضاً",
    "اقرأ المزيد",
    "شاهد أيضا",
    "طالع أيضا",
    "اقرأ كذلك",
];

/// Paragraphs that are only an advertising label.
const AD_LABELS: &[&str] = &["advertisement", "publicité", "إعلان", "sponsored", "pub"];

fn is_boilerplate(element: &scraper::node::Element) -> bool {
    let name = element.name();
    if SKIPPED_TAGS.contains(&name) {
        return true;
    }
    if element.attr("hidden").is_some() || element.attr("aria-hidden") == Some("true") {
        return true;
    }
    if matches!(
        element.attr("role"),
        Some("navigation" | "banner" | "contentinfo" | "complementary")
    ) {
        return true;
    }
    let marked = |value: Option<&str>| {
        value.is_some_and(|v| {
            v.to_ascii_lowercase()
                .split(|c: char| !c.is_ascii_alphanumeric())
                .any(|word| BOILERPLATE_WORDS.contains(&word))
        })
    };
    marked(element.attr("class")) || marked(element.attr("id"))
}

/// Text blocks shorter than this are not prose (labels, dates, buttons).
const MIN_PROSE_CHARS: usize = 40;

/// The page's main text: the container holding most prose, boilerplate left out, without a
/// paragraph that repeats the title.
fn main_text(document: &Html, title: Option<&str>) -> String {
    let Some(root) = main_container(document) else {
        return String::new();
    };
    let mut text = TextWriter {
        title: title.map(str::to_lowercase),
        ..TextWriter::default()
    };
    text.write(root, true);
    text.finish()
}

/// Characters of text and of link text in one block (an element that starts a paragraph).
#[derive(Debug, Default, Clone, Copy)]
struct BlockText {
    chars: usize,
    link_chars: usize,
}

/// Elements whose text is a paragraph of their container (the others, a `<td>` or `<div>`
/// holding text between `<br>`s, are containers themselves).
const PARAGRAPH_TAGS: &[&str] = &["p", "pre", "blockquote", "li", "h2", "h3", "h4", "h5", "h6"];

/// The element holding most of the page's prose. Each block's text outside boilerplate is
/// credited to its container in full, the next one up in half, the one above in a quarter,
/// as readability does; a container's score is then scaled down by the share of its text that
/// is links, which sinks lists of teasers. One pass over the tree, no recursion.
fn main_container(document: &Html) -> Option<ElementRef<'_>> {
    use ego_tree::iter::Edge;
    use std::collections::HashMap;
    let mut blocks: HashMap<ego_tree::NodeId, BlockText> = HashMap::new();
    // Open elements: whether each is in boilerplate; open blocks, innermost last.
    let mut boilerplate: Vec<bool> = vec![];
    let mut open_blocks: Vec<ego_tree::NodeId> = vec![];
    let mut links = 0usize;
    for edge in document.root_element().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let inherited = boilerplate.last().copied().unwrap_or(false);
                    let own = !matches!(element.name(), "html" | "body") && is_boilerplate(element);
                    boilerplate.push(inherited || own);
                    if BLOCK_TAGS.contains(&element.name()) {
                        open_blocks.push(node.id());
                    }
                    links += usize::from(element.name() == "a");
                }
                Node::Text(text) => {
                    let (Some(&false), Some(&block)) = (boilerplate.last(), open_blocks.last())
                    else {
                        continue;
                    };
                    let chars = text.trim().chars().count();
                    let entry = blocks.entry(block).or_default();
                    entry.chars += chars;
                    if links > 0 {
                        entry.link_chars += chars;
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value() {
                    boilerplate.pop();
                    if BLOCK_TAGS.contains(&element.name()) {
                        open_blocks.pop();
                    }
                    if element.name() == "a" {
                        links = links.saturating_sub(1);
                    }
                }
            }
        }
    }
    // Per container: its score, and the text and link text of the blocks credited to it.
    let mut containers: HashMap<ego_tree::NodeId, (f64, BlockText)> = HashMap::new();
    for (id, text) in blocks {
        let Some(block) = document.tree.get(id) else {
            continue;
        };
        let is_paragraph = block
            .value()
            .as_element()
            .is_some_and(|e| PARAGRAPH_TAGS.contains(&e.name()));
        let is_prose = text.chars >= MIN_PROSE_CHARS && text.link_chars * 2 < text.chars;
        let start = if is_paragraph {
            block.parent()
        } else {
            Some(block)
        };
        let mut weight = 1.0;
        for ancestor in std::iter::successors(start, |n| n.parent()).take(3) {
            if !ancestor.value().is_element() {
                break;
            }
            let entry = containers.entry(ancestor.id()).or_default();
            if is_prose {
                entry.0 += text.chars as f64 * weight;
            }
            entry.1.chars += text.chars;
            entry.1.link_chars += text.link_chars;
            weight /= 2.0;
        }
    }
    let best = containers
        .into_iter()
        .filter(|(_, (score, _))| *score > 0.0)
        .map(|(id, (score, text))| {
            let link_density = text.link_chars as f64 / text.chars.max(1) as f64;
            (id, score * (1.0 - link_density))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))?;
    document.tree.get(best.0).and_then(ElementRef::wrap)
}

/// Collects text paragraph by paragraph, leaving out boilerplate.
#[derive(Default)]
struct TextWriter {
    /// The page's title, lowercased: a paragraph repeating it is left out.
    title: Option<String>,
    paragraphs: Vec<String>,
    current: String,
    link_chars: usize,
}

impl TextWriter {
    /// Writes the text under `root`; with `skip_boilerplate`, without the blocks around an
    /// article. Iterative: `traverse` yields open and close edges from an explicit walk.
    fn write(&mut self, root: ElementRef, skip_boilerplate: bool) {
        use ego_tree::iter::Edge;
        let mut skipping: Option<ego_tree::NodeId> = None;
        let mut links = 0usize;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skipping.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(text) => {
                            let before = self.current.len();
                            self.push_text(text);
                            if links > 0 {
                                self.link_chars += self.current.len() - before;
                            }
                        }
                        Node::Element(element) => {
                            let skip = if node.id() == root.id() {
                                false
                            } else if skip_boilerplate {
                                is_boilerplate(element)
                            } else {
                                matches!(
                                    element.name(),
                                    "script" | "style" | "noscript" | "template"
                                )
                            };
                            if skip {
                                skipping = Some(node.id());
                                continue;
                            }
                            if element.name() == "a" {
                                links += 1;
                            }
                            if BLOCK_TAGS.contains(&element.name()) {
                                self.end_paragraph(skip_boilerplate);
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if skipping == Some(node.id()) {
                        skipping = None;
                        continue;
                    }
                    if skipping.is_some() {
                        continue;
                    }
                    if let Node::Element(element) = node.value() {
                        if element.name() == "a" {
                            links = links.saturating_sub(1);
                        }
                        if BLOCK_TAGS.contains(&element.name()) {
                            self.end_paragraph(skip_boilerplate);
                        }
                    }
                }
            }
        }
        self.end_paragraph(skip_boilerplate);
    }

    fn push_text(&mut self, text: &str) {
        let starts_space = text.starts_with(char::is_whitespace);
        for (i, word) in text.split_whitespace().enumerate() {
            if !self.current.is_empty() && (i > 0 || starts_space) {
                self.current.push(' ');
            }
            self.current.push_str(word);
        }
        if text.ends_with(char::is_whitespace)
            && !self.current.is_empty()
            && !self.current.ends_with(' ')
        {
            self.current.push(' ');
        }
    }

    fn end_paragraph(&mut self, skip_boilerplate: bool) {
        let paragraph = std::mem::take(&mut self.current);
        let links = std::mem::take(&mut self.link_chars);
        let paragraph = paragraph.trim();
        if paragraph.is_empty() {
            return;
        }
        if skip_boilerplate {
            let lower = paragraph.to_lowercase();
            let read_also = READ_ALSO.iter().any(|p| lower.starts_with(p)) && paragraph.len() < 400;
            let ad_label = AD_LABELS.contains(&lower.trim_end_matches(['.', ':']));
            let mostly_links = links * 10 > paragraph.len() * 6;
            let no_words = !paragraph.chars().any(char::is_alphabetic);
            let repeats_title = self.title.as_deref() == Some(lower.as_str());
            if read_also || ad_label || mostly_links || no_words || repeats_title {
                return;
            }
        }
        self.paragraphs.push(paragraph.to_string());
    }

    fn finish(mut self) -> String {
        self.end_paragraph(false);
        self.paragraphs.join("\n\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!doctype html><html lang="fr"><head>
<meta charset="utf-8"><title>Démantèlement d'un réseau | Le Veilleur</title>
<meta property="og:site_name" content="Le Veilleur">
<link rel="canonical" href="https://www.leveilleur.test/2024/03/12/reseau">
<meta name="keywords" content="terrorisme, Maroc">
</head><body>
<nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav>
<article><h1>Démantèlement d'un réseau</h1>
<div class="share">Partager sur Facebook</div>
<div class="article-body">
<p>Les services de sécurité ont démantelé mardi un réseau de trafic d'armes opérant entre deux villes du nord.</p>
<p class="read-also"><a href="/x">Lire aussi : un autre article sans rapport</a></p>
<p>Selon un communiqué, trois suspects ont été interpellés et des armes saisies lors des perquisitions.</p>
</div></article>
<section class="comments"><p>Un commentaire très long qui ne fait pas partie de l'article du tout, vraiment pas.</p></section>
<footer>Tous droits réservés, Le Veilleur, mentions légales et plan du site.</footer>
</body></html>"#;

    #[test]
    fn a_page_gives_its_article_and_metadata() {
        let record = parse_html(PAGE.as_bytes(), &HtmlContext::default()).unwrap();
        assert_eq!(record.title.as_deref(), Some("Démantèlement d'un réseau"));
        assert_eq!(
            record.body.as_deref(),
            Some(
                "Les services de sécurité ont démantelé mardi un réseau de trafic d'armes opérant entre deux villes du nord.\n\nSelon un communiqué, trois suspects ont été interpellés et des armes saisies lors des perquisitions."
            )
        );
        assert_eq!(record.date.as_deref(), Some("2024-03-12"));
        assert_eq!(record.meta.source.as_deref(), Some("Le Veilleur"));
        assert_eq!(
            record.meta.url.as_deref(),
            Some("https://www.leveilleur.test/2024/03/12/reseau")
        );
        assert_eq!(record.meta.lang.as_deref(), Some("fr"));
        assert_eq!(record.meta.tags, vec!["terrorisme", "Maroc"]);
    }

    #[test]
    fn a_page_without_article_text_is_an_error_saying_so() {
        let page = "<html><body><nav><a href='/'>Home</a></nav><p>Hi</p></body></html>";
        let error = parse_html(page.as_bytes(), &HtmlContext::default()).unwrap_err();
        assert!(error.reason.contains("no article text"), "{}", error.reason);
    }

    #[test]
    fn the_context_fills_what_the_page_does_not_say() {
        let page = "<html><body><div><p>A long enough paragraph of article text, written for this test only.</p></div></body></html>";
        let context = HtmlContext {
            url: Some("https://news.example.test/a/b".into()),
            fallback_date: Some("2023-05-06T07:08:09Z".into()),
            charset: None,
        };
        let record = parse_html(page.as_bytes(), &context).unwrap();
        assert_eq!(record.meta.url, context.url);
        assert_eq!(record.date, context.fallback_date);
        assert_eq!(record.meta.source.as_deref(), Some("news.example.test"));
    }

    #[test]
    fn windows_1256_declared_by_http_equiv() {
        let text = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1256\"></head><body><p>تفكيك خلية إرهابية في الدار البيضاء حسب بلاغ للمديرية العامة للأمن الوطني.</p></body></html>";
        let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
        let page = read_page(&bytes, None, &HtmlContext::default()).unwrap();
        assert_eq!(page.encoding, "windows-1256");
        assert!(page.record.body.unwrap().starts_with("تفكيك خلية"));
    }

    /// As browsers: the BOM, then the HTTP charset, then the page's, then detection.
    #[test]
    fn the_http_charset_comes_after_the_bom_and_before_the_page() {
        let arabic =
            "<p>تفكيك خلية إرهابية في الدار البيضاء حسب بلاغ للمديرية العامة للأمن الوطني.</p>";
        let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(arabic);
        let http = |charset: &str| HtmlContext {
            charset: Some(charset.into()),
            ..HtmlContext::default()
        };
        let decode = |bytes: &[u8], context: &HtmlContext| {
            let page = read_page(bytes, None, context).unwrap();
            (
                page.encoding,
                page.record.body.unwrap(),
                page.unknown_charset,
            )
        };
        let expected = arabic.trim_start_matches("<p>").trim_end_matches("</p>");
        // Only the HTTP header says it.
        let (encoding, body, _) = decode(&cp1256, &http("windows-1256"));
        assert_eq!((encoding, body.as_str()), ("windows-1256", expected));
        // It wins over what the page declares.
        let lying = [b"<meta charset=\"iso-8859-1\">".as_slice(), &cp1256].concat();
        assert_eq!(decode(&lying, &http("WINDOWS-1256")).0, "windows-1256");
        // A BOM wins over it.
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), arabic.as_bytes()].concat();
        let (encoding, body, _) = decode(&with_bom, &http("windows-1256"));
        assert_eq!((encoding, body.as_str()), ("UTF-8", expected));
        // HTTP may name UTF-16, which a page cannot.
        let utf16: Vec<u8> = arabic.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (encoding, body, _) = decode(&utf16, &http("utf-16le"));
        assert_eq!((encoding, body.as_str()), ("UTF-16LE", expected));
        // An unknown label is reported, and the page's own charset used.
        let declared = [b"<meta charset=windows-1256>".as_slice(), &cp1256].concat();
        let (encoding, _, unknown) = decode(&declared, &http("x-klingon"));
        assert_eq!(
            (encoding, unknown.as_deref()),
            ("windows-1256", Some("x-klingon"))
        );
    }

    #[test]
    fn a_declared_utf8_that_the_bytes_are_not_is_detected_instead() {
        let sentence = "أعلنت وزارة الداخلية عن تفكيك خلية إرهابية في مدينة الدار البيضاء. ";
        let page = format!(
            "<html><head><meta charset=\"utf-8\"><title>خبر</title></head><body><article><p>{}</p></article></body></html>",
            sentence.repeat(5)
        );
        let (cp1256, _, _) = encoding_rs::WINDOWS_1256.encode(&page);
        let read = read_page(&cp1256, None, &HtmlContext::default()).unwrap();
        assert_eq!(
            (read.encoding, read.not_utf8, read.replaced),
            ("windows-1256", true, 0)
        );
        assert!(read.record.body.unwrap().starts_with("أعلنت وزارة"));
        // Declared by the HTTP response instead: the same.
        let http = HtmlContext {
            charset: Some("utf-8".into()),
            ..HtmlContext::default()
        };
        let undeclared = page.replace("<meta charset=\"utf-8\">", "");
        let (body, _, _) = encoding_rs::WINDOWS_1256.encode(&undeclared);
        let read = read_page(&body, None, &http).unwrap();
        assert_eq!((read.encoding, read.not_utf8), ("windows-1256", true));
        // `--encoding` still wins over everything.
        let forced = decode_page(&cp1256, Some(UTF_8), None).unwrap();
        assert_eq!((forced.decoded.encoding, forced.not_utf8), ("UTF-8", false));
        // UTF-8 with one bad byte stays UTF-8, its byte replaced.
        let at = page
            .char_indices()
            .map(|(i, _)| i)
            .find(|&i| i >= 200)
            .unwrap();
        let mut damaged = page.into_bytes();
        damaged.insert(at, 0xFF);
        let read = read_page(&damaged, None, &HtmlContext::default()).unwrap();
        assert_eq!(
            (read.encoding, read.not_utf8, read.replaced),
            ("UTF-8", false, 1)
        );
    }

    #[test]
    fn an_unknown_charset_label_is_reported_and_detected_instead() {
        let page = "<meta charset=\"x-klingon\"><p>A paragraph of article text long enough to be kept as prose.</p>";
        let page = read_page(page.as_bytes(), None, &HtmlContext::default()).unwrap();
        assert_eq!(page.unknown_charset.as_deref(), Some("x-klingon"));
        assert_eq!(page.encoding, "UTF-8");
    }

    #[test]
    fn nul_bytes_are_binary_unless_an_encoding_is_forced() {
        let page = "<meta charset=utf-8><p>A paragraph of article text long enough to be kept as prose.</p>";
        let utf16: Vec<u8> = page.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let error = read_page(&utf16, None, &HtmlContext::default()).unwrap_err();
        assert_eq!(error, HtmlError::Binary(DecodeError::Binary));
        let forced = read_page(&utf16, Some(encoding_rs::UTF_16LE), &HtmlContext::default());
        assert!(
            forced
                .unwrap()
                .record
                .body
                .unwrap()
                .starts_with("A paragraph")
        );
    }

    #[test]
    fn a_stray_nul_byte_is_left_out_of_a_page() {
        let page = "<meta charset=utf-8><p>A paragraph of article\0 text long enough to be kept \
                    as prose, in a page of more than a hundred bytes.</p>";
        let page = read_page(page.as_bytes(), None, &HtmlContext::default()).unwrap();
        assert_eq!(page.nuls_removed, 1);
        let body = page.record.body.unwrap();
        assert!(body.starts_with("A paragraph of article text"), "{body}");
    }

    #[test]
    fn fragments_become_paragraphs() {
        assert_eq!(
            html_to_text("<p>One <b>bold</b> line.</p><p>Two</p>Three<br>Four<script>x()</script>")
                .unwrap(),
            "One bold line.\n\nTwo\n\nThree\n\nFour"
        );
        assert_eq!(html_to_text("").unwrap(), "");
    }

    #[test]
    fn titles_lose_their_site_name() {
        assert_eq!(without_site_name("A raid | Site", Some("Site")), "A raid");
        assert_eq!(without_site_name("Site - A raid", Some("Site")), "A raid");
        assert_eq!(
            without_site_name("Three held in a raid - Site News", Some("site.test")),
            "Three held in a raid"
        );
        assert_eq!(
            without_site_name("A raid - Site News", None),
            "A raid - Site News"
        );
        assert_eq!(without_site_name("Plain title", None), "Plain title");
    }

    #[test]
    fn dates_in_urls() {
        assert_eq!(
            date_in_url("https://x.test/2024/3/12/a").as_deref(),
            Some("2024-03-12")
        );
        assert_eq!(
            date_in_url("https://x.test/news/2024-03-12-a").as_deref(),
            Some("2024-03-12")
        );
        assert_eq!(date_in_url("https://x.test/news/12345678901"), None);
    }

    #[test]
    fn json_ld_garbage_is_ignored() {
        let page = r#"<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>
<script type="application/ld+json">[[[{"@graph": [{"@type": ["NewsArticle"], "headline": "From the graph", "datePublished": "2024-01-02T03:04:05+0100", "publisher": {"name": "Pub"}, "author": [{"name": "A. B."}]}]}]]]</script>
<p>A paragraph of article text long enough to be kept as prose by the rules.</p>"#;
        let record = parse_html(page.as_bytes(), &HtmlContext::default()).unwrap();
        assert_eq!(record.title.as_deref(), Some("From the graph"));
        assert_eq!(record.date.as_deref(), Some("2024-01-02"));
        assert_eq!(record.meta.source.as_deref(), Some("Pub"));
        assert_eq!(record.meta.author.as_deref(), Some("A. B."));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn nested(open: &str, close: &str, depth: usize, inner: &str) -> String {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
    }

    /// Kinds of nesting a hostile page may use: what opens one level and what closes it.
    const NESTINGS: &[(&str, &str)] = &[
        ("<div>", "</div>"),
        ("<div>", ""),
        ("<b>", "</b>"),
        ("<span>", ""),
        ("<font>", "</font>"),
        ("<ul><li>", ""),
        ("<section><a>", "</a></section>"),
        ("<table><tr><td>", "</td></tr></table>"),
        ("<table><tr><td><p>", ""),
        ("<svg>", "</svg>"),
    ];

    const PROSE: &str = "A paragraph of article text long enough to count as the prose of a page.";

    /// Nesting up to the limit is read, on a small stack (every walk is iterative); deeper is
    /// refused, whatever the tags, before the parser has read much further.
    #[test]
    fn nesting_is_read_up_to_the_limit_and_refused_beyond() {
        for (open, close) in NESTINGS {
            // Each kind opens at most five elements a level (a table's `tbody` too), under
            // `html` and `body`.
            let shallow = MAX_NESTING / 5 - 2;
            let page = nested(open, close, shallow, &format!("<p>{PROSE}</p>"));
            let result = std::thread::Builder::new()
                .stack_size(128 * 1024)
                .spawn(move || parse_html(page.as_bytes(), &HtmlContext::default()))
                .unwrap()
                .join()
                .expect("no stack overflow");
            // Text in links or in an `<svg>` is no article text.
            if !open.contains("svg") && !open.contains("<a>") {
                let body = result.expect(open).body.unwrap();
                assert!(body.contains("long enough"), "{open}: {body}");
            }
            let fragment = nested(open, close, shallow, PROSE);
            assert!(html_to_text(&fragment).unwrap().contains("long enough"));

            for depth in [MAX_NESTING + 1, 200_000] {
                let page = nested(open, close, depth, &format!("<p>{PROSE}</p>"));
                let error = parse_html(page.as_bytes(), &HtmlContext::default()).unwrap_err();
                let expected = format!("nesting deeper than {MAX_NESTING} levels");
                assert!(error.reason.contains(&expected), "{open}");
                let fragment = nested(open, close, depth, PROSE);
                assert_eq!(html_to_text(&fragment), Err(HtmlError::TooDeep), "{open}");
            }
        }
        let json = format!(
            "<script type=\"application/ld+json\">{}</script><p>{PROSE}</p>",
            nested("[", "]", 100_000, "{\"@type\":\"NewsArticle\"}")
        );
        assert!(parse_html(json.as_bytes(), &HtmlContext::default()).is_ok());
    }

    /// Parsing in pieces builds the tree a whole parse builds: pieces end in the middle of
    /// tags, entities, CR LF pairs and multi-byte characters alike.
    #[test]
    fn parsing_in_pieces_changes_nothing() {
        let unit = "<p class=\"x\">Caf\u{e9} &amp; \u{62a}\u{641}\u{643}\u{64a}\u{643}\r\n<b>gras</i> &eacute;t\u{e9}</p><script>if (a < b) {}</script><!-- c -->";
        let page = unit.repeat(PARSE_PIECE / unit.len() * 3 + 7);
        for shift in 0..unit.len() {
            let page = &page[page.char_indices().nth(shift).unwrap().0..];
            let bounded = parse_bounded(page, Tree::Document).unwrap();
            assert_eq!(bounded.html(), Html::parse_document(page).html());
            let bounded = parse_bounded(page, Tree::Fragment).unwrap();
            assert_eq!(bounded.html(), Html::parse_fragment(page).html());
        }
    }

    /// A page of megabytes gives all its paragraphs.
    #[test]
    fn a_huge_page_keeps_all_its_paragraphs() {
        let paragraph =
            "<p>نص طويل عن تفكيك شبكة لتهريب المخدرات عبر الحدود الشرقية للمملكة.</p>\n";
        let page = format!(
            "<html><body><nav><a href=/>x</a></nav><div>{}</div></body></html>",
            paragraph.repeat(50_000)
        );
        let record = parse_html(page.as_bytes(), &HtmlContext::default()).unwrap();
        assert_eq!(record.body.unwrap().split("\n\n").count(), 50_000);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn arbitrary_bytes_give_a_record_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            if let Ok(record) = parse_html(&bytes, &HtmlContext::default()) {
                prop_assert!(!record.body.unwrap_or_default().is_empty());
            }
        }

        #[test]
        fn tag_soup_never_panics(
            soup in "(<[/!]?(p|div|a|b|script|style|nav|article|td|br|meta|time|h1|title)( [a-z-]{1,8}(=\"[^\"<>]{0,12}\")?)?/?>|[a-zء-ي .]{0,30}|&[a-z#0-9]{0,6};?)*"
        ) {
            let _ = parse_html(soup.as_bytes(), &HtmlContext::default());
            // The bounded parse builds what scraper's own builds.
            if let Ok(bounded) = parse_bounded(&soup, Tree::Document) {
                prop_assert_eq!(bounded.html(), Html::parse_document(&soup).html());
            }
            // Paragraphs are trimmed, never empty, one blank line apart.
            let text = html_to_text(&soup).unwrap();
            prop_assert_eq!(text.trim(), text.as_str());
            prop_assert!(!text.contains("\n\n\n"), "{:?}", text);
        }

        /// Prose in paragraphs comes out word for word, whatever boilerplate surrounds it
        /// (paragraphs of at least 40 characters: shorter text is no prose).
        #[test]
        fn paragraphs_come_out_word_for_word(
            paragraphs in proptest::collection::vec("[a-z]{3,9}( [a-z]{2,9}){13,20}", 1..6),
        ) {
            let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
            let page = format!(
                "<html><body><nav><a href=/>home</a></nav><div class=\"story\">{body}</div>\
                 <div class=\"share\">share this</div><footer>footer text</footer></body></html>"
            );
            let record = parse_html(page.as_bytes(), &HtmlContext::default()).unwrap();
            prop_assert_eq!(record.body.unwrap(), paragraphs.join("\n\n"));
        }
    }
}
