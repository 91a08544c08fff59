//! WARC web archives (ISO 28500, as `wget --warc-file`, Heritrix, Browsertrix and the Internet
//! Archive write them): read record by record from a stream, never whole.
//!
//! The `warc` crate (0.4) was looked at and not used: it reads a `.warc.gz` through `libflate`
//! one member at a time with no byte offset to report damage at, and skips an oversized record
//! only by reading it into memory. WARC headers are simple (`Name: value` lines up to a blank
//! line, then `Content-Length` bytes), so this reader is a small parser over `BufRead`, fed by
//! flate2's multi-member decoder (see [`super::gzip`]).
//!
//! Each `response` record holding an HTML page (HTTP 200, `text/html` or XHTML) becomes an
//! article through [`super::html::read_page`] (the charset from a BOM, the HTTP `Content-Type`,
//! the page, else detected), with `WARC-Target-URI` as its url and id and
//! `WARC-Date` as the date when the page has none. Other responses (not HTML, redirects,
//! errors) and `revisit` records are counted and skipped; requests, `warcinfo` and metadata
//! records are not pages and are passed over.

use std::borrow::Cow;
use std::io::{self, BufRead, Read, Seek};

use super::formats::Record;
use super::gzip::Input;
use super::html::{HtmlContext, read_page};
use super::{ItemOutcome, Place, ReadOptions, Repeat, SeenIds, Severity, SourceFile};

/// Longest header line read, and longest header block: a header is never megabytes.
const MAX_HEADER_LINE: u64 = 64 * 1024;
const MAX_HEADER_BLOCK: usize = 1024 * 1024;

/// The named fields of a WARC or HTTP header block, in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// The first value of the field `name` (case-insensitive), trimmed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Parses `Name: value` lines (CRLF or LF); a line starting with a space or tab continues the
/// previous value (RFC 2616's folding, which WARC keeps).
pub fn parse_headers(text: &str) -> Result<Headers, String> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            let Some((_, value)) = fields.last_mut() else {
                return Err("a continuation line before any header".into());
            };
            value.push(' ');
            value.push_str(line.trim());
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(format!(
                "header line is not `Name: value`: {}",
                crate::clean::line(line, crate::clean::VALUE_CHARS)
            ));
        };
        let name = name.trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!(
                "invalid header name `{}`",
                crate::clean::line(name, crate::clean::VALUE_CHARS)
            ));
        }
        fields.push((name.to_string(), value.trim().to_string()));
    }
    Ok(Headers(fields))
}

/// One WARC record: where it starts, its headers, and its content block.
#[derive(Debug)]
pub struct WarcRecord {
    /// Byte offset of the record in the (decompressed) WARC stream.
    pub offset: u64,
    /// How many stretches of damaged data the reader passed over before this record: two
    /// records of different stretches have damage between them.
    pub stretch: u32,
    pub headers: Headers,
    pub block: Vec<u8>,
}

/// What the reader met next.
#[derive(Debug)]
pub enum Entry {
    Record(WarcRecord),
    /// A record whose block is larger than the limit: passed over without being held.
    TooLarge {
        offset: u64,
        length: u64,
    },
}

/// Why a record cannot be read.
#[derive(Debug)]
pub struct WarcError {
    /// Offset of the record being read, in the decompressed stream.
    pub offset: u64,
    pub reason: String,
    /// The underlying read failed (I/O, or damaged gzip), not the WARC syntax.
    pub io: Option<io::Error>,
    /// Whether the records after it can still be read: the record's syntax was wrong (a
    /// lying `Content-Length`, a header line too long), not the stream cut or unreadable.
    pub resumable: bool,
    /// Whether reading goes on at the next gzip member, in a file of a record per member
    /// (see `Resync::NextMember`); else at the next `WARC/` line.
    pub to_next_member: bool,
}

/// A stream of WARC records, and where its gzip members start.
pub trait WarcStream: BufRead {
    /// Whether byte `offset` of the (decompressed) stream is the first of a gzip member's
    /// output, among the last members read; `None` for a stream that is not gzip.
    fn starts_member(&self, _offset: u64) -> Option<bool> {
        None
    }
}

impl WarcStream for &[u8] {}

impl<R: BufRead + Seek> WarcStream for Input<R> {
    fn starts_member(&self, offset: u64) -> Option<bool> {
        self.starts_member_output(offset)
    }
}

/// Where reading goes on after a record that cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resync {
    /// At the next `WARC/` line.
    NextLine,
    /// At the next `WARC/` line that starts a gzip member: every record read so far began a
    /// member of its own (as crawlers write them), so the rest of the member where reading
    /// failed is the failed record's block, never a record (a page quoting a WARC record, a
    /// block longer than its `Content-Length` says).
    NextMember,
}

/// Reads WARC records one at a time from a stream.
pub struct WarcReader<R> {
    input: R,
    /// Bytes of the stream consumed.
    offset: u64,
    /// Largest block held in memory.
    max_block: u64,
    /// After a record that could not be read: lines are passed over up to the next
    /// `WARC/` line where a record may start.
    resyncing: Option<Resync>,
    /// Stretches of damaged data passed over so far (see [`WarcRecord::stretch`]).
    stretches: u32,
    /// Whether every record read so far began a gzip member of its own; `None` before the
    /// first. Only then does reading that fails lose the rest of its member.
    own_members: Option<bool>,
    /// Whether the last read failed on bytes that start no record (no `WARC/` line).
    stray: bool,
}

impl<R: WarcStream> WarcReader<R> {
    /// Reads `input`, holding blocks of at most `max_block` bytes.
    pub fn new(input: R, max_block: u64) -> Self {
        WarcReader {
            input,
            offset: 0,
            max_block,
            resyncing: None,
            stretches: 0,
            own_members: None,
            stray: false,
        }
    }

    /// The stream read from.
    pub fn get_ref(&self) -> &R {
        &self.input
    }

    /// The stream read from, to take what it noted.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.input
    }

    /// Reads one line of at most [`MAX_HEADER_LINE`] bytes into `line` (cleared first).
    fn line(&mut self, line: &mut Vec<u8>, start: u64) -> Result<usize, WarcError> {
        line.clear();
        let read = (&mut self.input)
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', line);
        // What was read before an error was consumed too: offsets after it stay true.
        self.offset += line.len() as u64;
        let read = read.map_err(|e| self.failed(start, e))?;
        if read as u64 == MAX_HEADER_LINE && !line.ends_with(b"\n") {
            return Err(WarcError {
                offset: start,
                reason: "header line longer than 64 KB".into(),
                io: None,
                resumable: true,
                to_next_member: false,
            });
        }
        Ok(read)
    }

    fn failed(&self, start: u64, e: io::Error) -> WarcError {
        WarcError {
            offset: start,
            reason: e.to_string(),
            // Damaged gzip passed over: the record being read is lost, the next one is read.
            resumable: super::gzip::is_resynced(&e),
            to_next_member: false,
            io: Some(e),
        }
    }

    /// The next record; `Ok(None)` at the end of the stream. After an error that is
    /// [`WarcError::resumable`], the next call reads on from the next `WARC/` line, or from
    /// the next gzip member ([`WarcError::to_next_member`]).
    pub fn next_record(&mut self) -> Result<Option<Entry>, WarcError> {
        let mut result = self.read_record();
        if let Ok(Some(Entry::Record(WarcRecord { offset, .. }) | Entry::TooLarge { offset, .. })) =
            &result
        {
            let own = self.input.starts_member(*offset) == Some(true);
            self.own_members = Some(self.own_members.unwrap_or(true) && own);
        }
        if let Err(error) = &mut result {
            // After damaged gzip, the stream goes on at the next member already. In a file of
            // a record per member, a record that fails at a member's start loses the member,
            // and so do bytes inside a member that start no record (the rest of a block whose
            // `Content-Length` was too short). A record header inside a member shows records
            // sharing members: reading goes on at the next `WARC/` line.
            let per_member = error.io.is_none()
                && self.own_members == Some(true)
                && (self.input.starts_member(error.offset) == Some(true) || self.stray);
            error.to_next_member = error.resumable && per_member;
            self.resyncing = error.resumable.then_some(match per_member {
                true => Resync::NextMember,
                false => Resync::NextLine,
            });
            self.stretches = self.stretches.saturating_add(u32::from(error.resumable));
        }
        result
    }

    fn read_record(&mut self) -> Result<Option<Entry>, WarcError> {
        self.stray = false;
        let mut line = Vec::new();
        // Records are separated by two CRLFs; be lenient about how many.
        let start = loop {
            let start = self.offset;
            let read = match self.line(&mut line, start) {
                // A line too long, passed over while looking for the next record.
                Err(error) if self.resyncing.is_some() && error.resumable => continue,
                read => read?,
            };
            if read == 0 {
                return Ok(None);
            }
            let may_start = match self.resyncing {
                None => true,
                Some(Resync::NextLine) => line.starts_with(b"WARC/"),
                Some(Resync::NextMember) => {
                    line.starts_with(b"WARC/") && self.input.starts_member(start) != Some(false)
                }
            };
            if may_start && !line.trim_ascii().is_empty() {
                break start;
            }
        };
        self.resyncing = None;
        self.stray = !line.starts_with(b"WARC/");
        if self.stray {
            return Err(WarcError {
                offset: start,
                reason: "not a WARC record (expected a `WARC/1.0` or `WARC/1.1` line)".into(),
                io: None,
                resumable: true,
                to_next_member: false,
            });
        }
        let mut block = Vec::new();
        loop {
            if self.line(&mut line, start)? == 0 {
                return Err(cut(start));
            }
            if line.trim_ascii().is_empty() {
                break;
            }
            block.extend_from_slice(&line);
            if block.len() > MAX_HEADER_BLOCK {
                return Err(WarcError {
                    offset: start,
                    reason: "WARC header longer than 1 MB".into(),
                    io: None,
                    resumable: true,
                    to_next_member: false,
                });
            }
        }
        let headers =
            parse_headers(&String::from_utf8_lossy(&block)).map_err(|reason| WarcError {
                offset: start,
                reason,
                io: None,
                resumable: true,
                to_next_member: false,
            })?;
        let length = headers
            .get("Content-Length")
            .and_then(|v| v.parse::<u64>().ok())
            .ok_or_else(|| WarcError {
                offset: start,
                reason: "WARC record without a valid Content-Length".into(),
                io: None,
                resumable: true,
                to_next_member: false,
            })?;
        if length > self.max_block {
            let skipped = io::copy(&mut (&mut self.input).take(length), &mut io::sink())
                .map_err(|e| self.failed(start, e))?;
            self.offset += skipped;
            if skipped < length {
                return Err(cut(start));
            }
            return Ok(Some(Entry::TooLarge {
                offset: start,
                length,
            }));
        }
        let mut content = Vec::with_capacity(length.min(1 << 20) as usize);
        if self.own_members == Some(true) && self.input.starts_member(start) == Some(true) {
            self.read_block_in_member(start, length, &mut content)?;
        } else {
            let read = (&mut self.input).take(length).read_to_end(&mut content);
            self.offset += content.len() as u64;
            let read = read.map_err(|e| self.failed(start, e))?;
            if (read as u64) < length {
                return Err(cut(start));
            }
        }
        Ok(Some(Entry::Record(WarcRecord {
            offset: start,
            stretch: self.stretches,
            headers,
            block: content,
        })))
    }

    /// Reads the block of the record at `start`, `length` bytes, in a file of a record per
    /// gzip member: a block that runs into a member starting with a `WARC/1.` line has a
    /// `Content-Length` too large, and would take the records of the members after it.
    /// Reading stops at that member, where the next record starts. (A record a writer split
    /// across members goes on: its next member starts with the rest of its block.)
    fn read_block_in_member(
        &mut self,
        start: u64,
        length: u64,
        content: &mut Vec<u8>,
    ) -> Result<(), WarcError> {
        while (content.len() as u64) < length {
            let at = self.offset;
            let (available, record_line) = match self.input.fill_buf() {
                Ok(buffer) => (buffer.len(), buffer.starts_with(b"WARC/1.")),
                Err(e) => return Err(self.failed(start, e)),
            };
            if available == 0 {
                return Err(cut(start));
            }
            // Each read of the stream gives one member's output: a member starts a buffer.
            if at > start && record_line && self.input.starts_member(at) == Some(true) {
                return Err(WarcError {
                    offset: start,
                    reason: "its Content-Length runs past its gzip member, into the next record"
                        .into(),
                    io: None,
                    resumable: true,
                    to_next_member: false,
                });
            }
            let taken = available.min((length - content.len() as u64) as usize);
            match self.input.fill_buf() {
                Ok(buffer) => content.extend_from_slice(&buffer[..taken]),
                Err(e) => return Err(self.failed(start, e)),
            }
            self.input.consume(taken);
            self.offset += taken as u64;
        }
        Ok(())
    }
}

fn cut(offset: u64) -> WarcError {
    WarcError {
        offset,
        reason: "record cut short (truncated file)".into(),
        io: None,
        resumable: false,
        to_next_member: false,
    }
}

/// What an HTTP response in a `response` record holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Response<'a> {
    /// An HTML page, its body decoded from any transfer or content encoding, and the charset
    /// its `Content-Type` names.
    Page {
        body: Cow<'a, [u8]>,
        charset: Option<String>,
    },
    NotHtml,
    /// A 3xx status.
    Redirect,
    /// Any other status than 200.
    Error,
    /// Not an HTTP response that can be read.
    Malformed(String),
    /// A page whose content encoding would decompress past the size allowed.
    TooLarge,
}

/// Reads an HTTP response: status, headers, body (de-chunked, and gunzipped when the server
/// sent it compressed: crawlers store the bytes as they came), the body decompressed to at
/// most `max_size` bytes: a record of kilobytes may hold a gzip bomb of gigabytes.
pub fn read_response(block: &[u8], max_size: u64) -> Response<'_> {
    let split = find(block, b"\r\n\r\n")
        .map(|at| (at, at + 4))
        .or_else(|| find(block, b"\n\n").map(|at| (at, at + 2)));
    let Some((head_end, body_start)) = split else {
        return Response::Malformed(
            "HTTP response without the blank line after its headers".into(),
        );
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let (status_line, rest) = head.split_once('\n').unwrap_or((&head, ""));
    let status = status_line
        .strip_prefix("HTTP/")
        .and_then(|s| s.split_whitespace().nth(1))
        .and_then(|code| code.parse::<u16>().ok());
    let Some(status) = status else {
        return Response::Malformed(format!(
            "not an HTTP status line: {}",
            crate::clean::line(status_line.trim_end(), crate::clean::VALUE_CHARS)
        ));
    };
    match status {
        200 => {}
        300..=399 => return Response::Redirect,
        _ => return Response::Error,
    }
    let headers = match parse_headers(rest) {
        Ok(headers) => headers,
        Err(reason) => return Response::Malformed(reason),
    };
    let mut body = Cow::Borrowed(&block[body_start..]);
    let chunked = headers
        .get("Transfer-Encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        match dechunk(&body) {
            Some(joined) => body = Cow::Owned(joined),
            None => return Response::Malformed("damaged chunked transfer encoding".into()),
        }
    }
    let content_type = headers.get("Content-Type");
    let html = content_type.map(|kind| {
        let kind = kind.to_ascii_lowercase();
        kind.starts_with("text/html") || kind.starts_with("application/xhtml+xml")
    });
    // Known not to be a page: left compressed.
    if html == Some(false) {
        return Response::NotHtml;
    }
    let encoding = headers.get("Content-Encoding").map(str::to_ascii_lowercase);
    let decoded = match encoding.as_deref() {
        None | Some("" | "identity") => None,
        Some("gzip" | "x-gzip") => Some((
            decompressed(flate2::read::MultiGzDecoder::new(&body[..]), max_size),
            "gzip",
        )),
        Some("deflate") => Some((
            decompressed(flate2::read::ZlibDecoder::new(&body[..]), max_size),
            "deflate",
        )),
        Some(other) => {
            return Response::Malformed(format!(
                "content encoding `{}` is not supported",
                crate::clean::line(other, crate::clean::VALUE_CHARS)
            ));
        }
    };
    match decoded {
        None => {}
        Some((Ok(Some(plain)), _)) => body = Cow::Owned(plain),
        Some((Ok(None), _)) => return Response::TooLarge,
        Some((Err(()), name)) => {
            return Response::Malformed(format!("damaged {name} content encoding"));
        }
    }
    if html.unwrap_or_else(|| looks_like_html(&body)) {
        Response::Page {
            body,
            charset: content_type.and_then(charset_parameter),
        }
    } else {
        Response::NotHtml
    }
}

/// What `reader` decompresses to: `None` past `max_size` bytes, `Err` when damaged.
fn decompressed(reader: impl Read, max_size: u64) -> Result<Option<Vec<u8>>, ()> {
    let mut plain = Vec::new();
    reader
        .take(max_size.saturating_add(1))
        .read_to_end(&mut plain)
        .map_err(|_| ())?;
    Ok((plain.len() as u64 <= max_size).then_some(plain))
}

/// The `charset` parameter of a `Content-Type` (`text/html; charset="windows-1256"`).
fn charset_parameter(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        let value = value.trim().trim_matches(['"', '\'']).trim();
        (name.trim().eq_ignore_ascii_case("charset") && !value.is_empty())
            .then(|| value.to_string())
    })
}

/// A body without a content type that starts like an HTML document.
fn looks_like_html(body: &[u8]) -> bool {
    let start = &body[..body.len().min(512)];
    let start = String::from_utf8_lossy(start)
        .trim_start()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Joins the chunks of a `Transfer-Encoding: chunked` body; `None` when damaged.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut joined = Vec::with_capacity(body.len());
    loop {
        let line_end = find(body, b"\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        body = &body[line_end + 1..];
        if size == 0 {
            return Some(joined);
        }
        joined.extend_from_slice(body.get(..size)?);
        body = &body[size..];
        body = body
            .strip_prefix(b"\r\n")
            .or_else(|| body.strip_prefix(b"\n"))
            .unwrap_or(body);
    }
}

/// How many records of a WARC were passed over, and why: reported once per file.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Skipped {
    pub not_html: usize,
    pub redirects: usize,
    pub errors: usize,
    pub revisits: usize,
}

impl Skipped {
    fn total(&self) -> usize {
        self.not_html + self.redirects + self.errors + self.revisits
    }

    /// `3 records skipped: 1 not HTML, 1 redirect, 1 error status`, or none: the kinds
    /// met, each in its number.
    fn note(&self) -> Option<String> {
        let count = |n: usize, one: &str, many: &str| {
            (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
        };
        let kinds = [
            count(self.not_html, "not HTML", "not HTML"),
            count(self.redirects, "redirect", "redirects"),
            count(self.errors, "error status", "error statuses"),
            count(self.revisits, "revisit", "revisits"),
        ];
        let kinds: Vec<String> = kinds.into_iter().flatten().collect();
        let total = self.total();
        (total > 0).then(|| {
            let records = if total == 1 { "record" } else { "records" };
            format!("{total} {records} skipped: {}", kinds.join(", "))
        })
    }
}

/// Records read before their pages are parsed, in parallel: at most this many records, and
/// about this many bytes (what a batch holds in memory beside the index writer's budget), or
/// [`ReadOptions::batch_bytes`] when fewer.
const BATCH_RECORDS: usize = 64;
pub(super) const BATCH_BYTES: usize = 16_000_000;

/// Why a batch ended before it was full.
enum Stop {
    /// A record over the limit, passed over: reported after the pages before it.
    TooLarge {
        offset: u64,
        length: u64,
    },
    End,
    Damaged(WarcError),
}

/// What is needed to turn one record into an article, shared by the threads of a batch.
struct PageReader {
    source: SourceFile,
    options: ReadOptions,
}

/// Why a record that is no page was passed over.
enum Passed {
    NotHtml,
    Redirect,
    Error,
    Revisit,
}

impl PageReader {
    /// The article of one record, if it is an HTML page; else why it was passed over.
    fn page(&self, record: &WarcRecord) -> (ItemOutcome, Option<Passed>) {
        let mut outcome = ItemOutcome::default();
        match record.headers.get("WARC-Type") {
            Some(kind) if kind.eq_ignore_ascii_case("response") => {}
            Some(kind) if kind.eq_ignore_ascii_case("revisit") => {
                return (outcome, Some(Passed::Revisit));
            }
            _ => return (outcome, None),
        }
        // A response record of something else than HTTP: the `text/dns` record a crawler
        // writes for each host it resolves (`dns:news.example`), an FTP or WHOIS response,
        // said by its content type or by its URI's scheme.
        let http = record.headers.get("Content-Type").is_none_or(|kind| {
            kind.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/http")
        });
        let url = record.headers.get("WARC-Target-URI").map(|u| {
            // WARC 1.0 allowed the URI in angle brackets.
            u.trim_start_matches('<').trim_end_matches('>').to_string()
        });
        let web = url.as_deref().is_none_or(|u| {
            let scheme = u.split_once(':').map_or("", |(scheme, _)| scheme);
            scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
        });
        if !http || !web {
            return (outcome, Some(Passed::NotHtml));
        }
        let max_size = self.options.max_file_size;
        let (body, charset) = match read_response(&record.block, max_size) {
            Response::Page { body, charset } => (body, charset),
            Response::TooLarge => {
                let reason = format!(
                    "{}: a page larger than the --max-file-size of {} MB once decompressed; skipped",
                    record_at(record.offset, self.source.gzip),
                    max_size / 1_000_000
                );
                outcome
                    .problems
                    .push(self.source.problem(None, Severity::Warning, reason));
                return (outcome, None);
            }
            Response::NotHtml => return (outcome, Some(Passed::NotHtml)),
            Response::Redirect => return (outcome, Some(Passed::Redirect)),
            Response::Error => return (outcome, Some(Passed::Error)),
            Response::Malformed(reason) => {
                let at = record_at(record.offset, self.source.gzip);
                let reason = format!("{at}: {reason}; skipped");
                outcome
                    .problems
                    .push(self.source.problem(None, Severity::Failed, reason));
                return (outcome, None);
            }
        };
        let context = HtmlContext {
            url: url.clone(),
            fallback_date: record.headers.get("WARC-Date").map(str::to_string),
            charset,
        };
        let place = url.as_deref().unwrap_or("a page without WARC-Target-URI");
        let place = crate::clean::line(place, crate::clean::VALUE_CHARS).into_owned();
        match read_page(&body, None, &context) {
            Ok(page) => {
                for reason in page.decoding_warnings() {
                    let reason = format!("{place}: {reason}");
                    outcome
                        .problems
                        .push(self.source.problem(None, Severity::Warning, reason));
                }
                let record = page.record;
                let record = Record {
                    id: url.clone().or(record.id),
                    meta: crate::article::Metadata {
                        url: record.meta.url.clone().or(url),
                        ..record.meta.clone()
                    },
                    ..record
                };
                let before = outcome.problems.len();
                outcome.article = self
                    .source
                    .article(record, &self.options, &mut outcome.problems);
                // The page's problems (a text cut, a bad date) name the page.
                for problem in &mut outcome.problems[before..] {
                    problem.reason = format!("{place}: {}", problem.reason);
                }
            }
            Err(error) => {
                let reason = format!("{place}: {error}");
                outcome
                    .problems
                    .push(self.source.problem(None, Severity::Warning, reason));
            }
        }
        (outcome, None)
    }
}

/// The articles of a WARC file, in order. Records are read one after the other from the
/// stream, and parsed in batches across threads (HTML extraction is most of the work): a
/// batch holds at most [`BATCH_RECORDS`] records of about [`BATCH_BYTES`] in all.
pub struct Pages<R> {
    reader: WarcReader<Input<R>>,
    pages: PageReader,
    skipped: Skipped,
    seen: SeenIds,
    ready: std::collections::VecDeque<ItemOutcome>,
    done: bool,
    /// Whether a record was read, to say what damage that ends the stream leaves.
    read_any: bool,
    /// The records (and failures) of the gzip member still being read when a batch filled,
    /// held for the next batch: its checksum, read after them, may yet tell it is damaged.
    held: (Vec<WarcRecord>, Vec<WarcError>),
}

impl<R: BufRead + Seek> Pages<R> {
    /// Reads the WARC `input` of `source` (decompressed when the file is gzip).
    pub fn new(input: Input<R>, source: SourceFile, options: ReadOptions) -> Self {
        Pages {
            reader: WarcReader::new(input, options.max_file_size),
            pages: PageReader { source, options },
            skipped: Skipped::default(),
            seen: SeenIds::default(),
            ready: Default::default(),
            done: false,
            read_any: false,
            held: Default::default(),
        }
    }

    /// Why the stream stopped, in words, with the offset a person can look at.
    fn damage(&self, error: &WarcError) -> String {
        let input = self.reader.get_ref();
        // A web archive's members are read one by one: damage is named by its member, as
        // when the next member is read after it; a file cut short, where it ends.
        let junk = error.io.as_ref().and_then(super::gzip::no_member);
        let what = match (&error.io, junk) {
            (_, Some(junk)) => format!(
                "{} bytes at byte {} start no gzip member",
                junk.bytes,
                input.member_start()
            ),
            (Some(io), _) if input.is_gzip() && io.kind() != io::ErrorKind::UnexpectedEof => {
                format!(
                    "gzip member at byte {} damaged ({io})",
                    input.member_start()
                )
            }
            (Some(io), _) if input.is_gzip() => super::gzip::damage(input.file_offset(), io),
            (Some(io), _) => format!("cannot read at byte {}: {io}", input.file_offset()),
            (None, _) => self.record_error(error),
        };
        if self.read_any {
            format!("{what}; the records before it are indexed")
        } else {
            format!("{what}; no record could be read")
        }
    }

    /// What is wrong with the record at `error.offset`.
    fn record_error(&self, error: &WarcError) -> String {
        let at = record_at(error.offset, self.reader.get_ref().is_gzip());
        format!("{at}: {}", error.reason)
    }

    fn report(&mut self, severity: Severity, reason: String) {
        let problem = self.pages.source.problem(None, severity, reason);
        self.ready.push_back(ItemOutcome {
            article: None,
            problems: vec![problem],
        });
    }

    /// Reads the next batch of records and parses their pages.
    fn fill(&mut self) {
        use rayon::prelude::*;
        // Records that lie about their length or their headers are reported after the batch:
        // gzip damage found later in it may explain them.
        let (mut batch, mut unreadable) = std::mem::take(&mut self.held);
        let (mut bytes, mut stop) = (batch.iter().map(|r| r.block.len()).sum::<usize>(), None);
        let max_bytes = self.pages.options.batch_bytes.min(BATCH_BYTES);
        while batch.len() < BATCH_RECORDS && unreadable.len() < BATCH_RECORDS && bytes < max_bytes {
            match self.reader.next_record() {
                Ok(Some(Entry::Record(record))) => {
                    bytes += record.block.len();
                    batch.push(record);
                    self.read_any = true;
                }
                Ok(Some(Entry::TooLarge { offset, length })) => {
                    stop = Some(Stop::TooLarge { offset, length });
                    break;
                }
                Ok(None) => {
                    stop = Some(Stop::End);
                    break;
                }
                // The next record is read.
                Err(error) if error.resumable && !is_resynced_error(&error) => {
                    unreadable.push(error);
                }
                Err(error) => {
                    stop = Some(Stop::Damaged(error));
                    break;
                }
            }
        }
        // Damaged gzip passed over while reading the batch: the records of the damaged
        // members are lost, even those read whole before a checksum told the damage, and what
        // failed in their output is said by the damage alone (one damage, one line); the
        // records after them are read. Damage that ends the stream does the same for its
        // member, one of several that began in this batch, unless the file was only cut
        // short (what came whole before the cut is intact). A file compressed as one member,
        // or a member begun in an earlier batch (whose records are indexed already), keeps
        // what it gave, as a file cut short does.
        let skips = self.reader.get_mut().take_skips();
        let input = self.reader.get_ref();
        // The records of a member still being read wait for the next batch, unless it began
        // in an earlier batch (its records before are indexed already; a file compressed as
        // one member is read batch by batch, so no batch waits for the whole file).
        let open_from = input.member_output_start();
        if stop.is_none()
            && input.is_gzip()
            && batch
                .first()
                .is_some_and(|record| record.offset < open_from)
        {
            let at = batch.partition_point(|record| record.offset < open_from);
            self.held.0 = batch.split_off(at);
            let (held, now) = unreadable
                .into_iter()
                .partition(|error: &WarcError| error.offset >= open_from);
            (self.held.1, unreadable) = (held, now);
        }
        let ended_from = match &stop {
            Some(Stop::Damaged(error)) if !error.resumable && error.io.is_some() => {
                input.is_gzip().then(|| input.member_output_start())
            }
            _ => None,
        };
        // Bytes after a whole member that start none leave that member whole.
        let corrupt = matches!(&stop, Some(Stop::Damaged(WarcError { io: Some(io), .. }))
            if io.kind() != io::ErrorKind::UnexpectedEof && super::gzip::no_member(io).is_none());
        let batch_from = batch.first().map_or(u64::MAX, |record| record.offset);
        let ended = ended_from.filter(|&from| corrupt && from > 0 && from >= batch_from);
        let damaged: Vec<_> = (skips.iter().chain(input.open_skip()))
            .map(|skip| skip.output.clone())
            .chain(ended.map(|from| from..u64::MAX))
            .collect();
        let explained = |offset: u64| damaged.iter().any(|output| output.contains(&offset));
        for error in unreadable {
            if !explained(error.offset) && ended_from.is_none_or(|from| error.offset < from) {
                let next = match error.to_next_member {
                    true => "the next gzip member",
                    false => "the next record",
                };
                let reason = format!("{}; skipped to {next}", self.record_error(&error));
                self.report(Severity::Failed, reason);
            }
        }
        for skip in skips {
            self.report(Severity::Failed, skip.describe());
        }
        let pages = &self.pages;
        let parsed: Vec<_> = batch.par_iter().map(|record| pages.page(record)).collect();
        for ((mut outcome, passed), record) in parsed.into_iter().zip(&batch) {
            if explained(record.offset) {
                continue;
            }
            if let Some(article) = &mut outcome.article {
                article.after_damage = record.stretch > 0;
            }
            if let Some(article) = &outcome.article {
                let place = Place::Record {
                    offset: record.offset,
                    decompressed: self.pages.source.gzip,
                };
                let problems = &mut outcome.problems;
                let repeat = (self.seen).repeat(
                    &self.pages.source,
                    article,
                    (place, record.stretch),
                    problems,
                );
                if repeat == Some(Repeat::Dropped) {
                    outcome.article = None;
                }
            }
            match passed {
                Some(Passed::NotHtml) => self.skipped.not_html += 1,
                Some(Passed::Redirect) => self.skipped.redirects += 1,
                Some(Passed::Error) => self.skipped.errors += 1,
                Some(Passed::Revisit) => self.skipped.revisits += 1,
                None => {}
            }
            if outcome.article.is_some() || !outcome.problems.is_empty() {
                self.ready.push_back(outcome);
            }
        }
        match stop {
            None => {}
            Some(Stop::TooLarge { offset, length }) => {
                let reason = format!(
                    "{} is larger than the --max-file-size of {} MB ({} MB); skipped",
                    record_at(offset, self.pages.source.gzip),
                    self.pages.options.max_file_size / 1_000_000,
                    length / 1_000_000
                );
                self.report(Severity::Warning, reason);
            }
            Some(Stop::End) => {
                self.done = true;
                if let Some(note) = self.skipped.note() {
                    self.report(Severity::Warning, note);
                }
            }
            // Damaged gzip passed over: said by the skip above, the next record is read.
            Some(Stop::Damaged(error)) if error.resumable => {}
            Some(Stop::Damaged(error)) => {
                self.done = true;
                let reason = self.damage(&error);
                self.report(Severity::Failed, reason);
                if let Some(note) = self.skipped.note() {
                    self.report(Severity::Warning, note);
                }
            }
        }
    }
}

/// A record named by where it starts: in the file, or in what a `.warc.gz` decompresses to
/// (as `zcat` gives it: a member's own offset in the file is not a record's).
pub(crate) fn record_at(offset: u64, decompressed: bool) -> String {
    let of = if decompressed {
        "of the decompressed archive"
    } else {
        "of the file"
    };
    format!("WARC record at byte {offset} {of}")
}

/// Whether `error` is the reader's passage over damaged gzip, not a record's own fault.
fn is_resynced_error(error: &WarcError) -> bool {
    error.io.as_ref().is_some_and(super::gzip::is_resynced)
}

impl<R: BufRead + Seek> Iterator for Pages<R> {
    type Item = ItemOutcome;

    fn next(&mut self) -> Option<ItemOutcome> {
        loop {
            if let Some(outcome) = self.ready.pop_front() {
                return Some(outcome);
            }
            if self.done {
                return None;
            }
            self.fill();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
        let mut bytes = format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        bytes.extend_from_slice(block);
        bytes.extend_from_slice(b"\r\n\r\n");
        bytes
    }

    fn records(bytes: &[u8]) -> (Vec<WarcRecord>, Option<WarcError>) {
        let mut reader = WarcReader::new(bytes, u64::MAX);
        let mut found = Vec::new();
        loop {
            match reader.next_record() {
                Ok(Some(Entry::Record(record))) => found.push(record),
                Ok(Some(Entry::TooLarge { .. })) => unreachable!("no limit"),
                Ok(None) => return (found, None),
                Err(e) => return (found, Some(e)),
            }
        }
    }

    #[test]
    fn headers_are_read_with_folding_and_any_case() {
        let headers = parse_headers(
            "WARC-Type: response\r\ncontent-length:  12 \r\nX-Long: one\r\n  two\r\n",
        )
        .unwrap();
        assert_eq!(headers.get("warc-type"), Some("response"));
        assert_eq!(headers.get("Content-Length"), Some("12"));
        assert_eq!(headers.get("X-Long"), Some("one two"));
        assert!(parse_headers(" folded first").is_err());
        assert!(parse_headers("no colon here").is_err());
    }

    #[test]
    fn records_are_read_in_order_with_their_offsets() {
        let first = record("warcinfo", "", b"software: x\r\n");
        let second = record(
            "response",
            "https://a.example/",
            b"HTTP/1.1 200 OK\r\n\r\nhi",
        );
        let bytes = [first.clone(), second].concat();
        let (found, error) = records(&bytes);
        assert!(error.is_none());
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].offset, first.len() as u64);
        assert_eq!(
            found[1].headers.get("WARC-Target-URI"),
            Some("https://a.example/")
        );
        assert_eq!(found[1].block, b"HTTP/1.1 200 OK\r\n\r\nhi");
    }

    #[test]
    fn a_record_over_the_limit_is_passed_over() {
        let bytes = [
            record("response", "big", &[b'x'; 1000]),
            record("response", "small", b"y"),
        ]
        .concat();
        let mut reader = WarcReader::new(&bytes[..], 100);
        assert!(matches!(
            reader.next_record(),
            Ok(Some(Entry::TooLarge {
                offset: 0,
                length: 1000
            }))
        ));
        let Ok(Some(Entry::Record(small))) = reader.next_record() else {
            panic!("the record after the large one");
        };
        assert_eq!(small.block, b"y");
    }

    #[test]
    fn a_record_without_length_or_version_is_an_error() {
        let (_, error) = records(b"WARC/1.0\r\nWARC-Type: response\r\n\r\nbody");
        assert!(error.unwrap().reason.contains("Content-Length"));
        let (_, error) = records(b"<html>not a warc</html>\n");
        assert!(error.unwrap().reason.contains("not a WARC record"));
        let (_, error) = records(&[b'a'; 100_000]);
        assert!(error.unwrap().reason.contains("longer than 64 KB"));
    }

    #[test]
    fn after_a_record_that_lies_the_next_one_is_read() {
        let good = |uri: &str| record("response", uri, b"HTTP/1.1 200 OK\r\n\r\n<p>x</p>");
        let lying = [
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: -5\r\n\r\nbody\r\n\r\n".to_vec(),
            b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 2\r\n\r\nlonger body\r\n\r\n"
                .to_vec(),
            [b"WARC/1.0\r\nX: ".as_slice(), &[b'a'; 200_000], b"\r\n\r\n"].concat(),
        ];
        for bad in lying {
            let bytes = [good("a"), bad, good("b")].concat();
            let mut reader = WarcReader::new(&bytes[..], u64::MAX);
            let (mut uris, mut errors) = (vec![], 0);
            loop {
                match reader.next_record() {
                    Ok(Some(Entry::Record(r))) => {
                        uris.extend(r.headers.get("WARC-Target-URI").map(str::to_string));
                    }
                    Ok(Some(Entry::TooLarge { .. })) => unreachable!(),
                    Ok(None) => break,
                    Err(e) => {
                        assert!(e.resumable, "{e:?}");
                        errors += 1;
                    }
                }
            }
            assert_eq!(uris, ["a", "b"]);
            assert!(errors >= 1);
        }
    }

    #[test]
    fn a_page_decompressed_past_the_size_allowed_is_too_large() {
        use std::io::Write;
        let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gzip.write_all(&vec![b' '; 1 << 20]).unwrap();
        let mut http =
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        http.extend_from_slice(&gzip.finish().unwrap());
        assert_eq!(read_response(&http, 1 << 19), Response::TooLarge);
        assert!(matches!(
            read_response(&http, 1 << 20),
            Response::Page { .. }
        ));
    }

    #[test]
    fn responses_are_told_apart() {
        let page = read_response(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>x</p>",
            u64::MAX,
        );
        assert_eq!(
            page,
            Response::Page {
                body: Cow::Borrowed(b"<p>x</p>".as_slice()),
                charset: Some("utf-8".into())
            }
        );
        let xhtml = read_response(b"HTTP/1.0 200 OK\nContent-Type: application/xhtml+xml; Charset = \"windows-1256\"\n\n<p/>", u64::MAX);
        assert!(
            matches!(&xhtml, Response::Page { charset: Some(c), .. } if c == "windows-1256"),
            "{xhtml:?}"
        );
        let sniffed = read_response(
            b"HTTP/1.1 200 OK\r\n\r\n  <!DOCTYPE html><p>x</p>",
            u64::MAX,
        );
        assert!(matches!(sniffed, Response::Page { charset: None, .. }));
        let json = read_response(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}",
            u64::MAX,
        );
        assert_eq!(json, Response::NotHtml);
        assert_eq!(
            read_response(b"HTTP/1.1 302 Found\r\n\r\n", u64::MAX),
            Response::Redirect
        );
        assert_eq!(
            read_response(b"HTTP/2 500 Oops\r\n\r\n", u64::MAX),
            Response::Error
        );
        assert!(matches!(
            read_response(b"garbage", u64::MAX),
            Response::Malformed(_)
        ));
        assert!(matches!(
            read_response(
                b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\nxx",
                u64::MAX
            ),
            Response::Malformed(_)
        ));
    }

    #[test]
    fn chunks_are_joined_and_damaged_chunks_refused() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").unwrap(),
            b"abcde"
        );
        assert_eq!(dechunk(b"ff\r\nshort"), None);
        assert_eq!(dechunk(b"zz\r\n"), None);
    }
}

#[cfg(test)]
mod properties {
    use std::io::Write;

    use proptest::prelude::*;

    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    fn record(block: &[u8]) -> Vec<u8> {
        let mut bytes = format!(
            "WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: {}\r\n\r\n",
            block.len()
        )
        .into_bytes();
        bytes.extend_from_slice(block);
        bytes.extend_from_slice(b"\r\n\r\n");
        bytes
    }

    /// Reads every record of `input`; the blocks before an error or the end.
    fn blocks<R: WarcStream>(input: R) -> (Vec<Vec<u8>>, bool) {
        let mut reader = WarcReader::new(input, u64::MAX);
        let mut found = Vec::new();
        loop {
            match reader.next_record() {
                Ok(Some(Entry::Record(record))) => found.push(record.block),
                Ok(Some(Entry::TooLarge { .. })) => unreachable!("no limit"),
                Ok(None) => return (found, false),
                Err(_) => return (found, true),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Headers written as `Name: value` lines are read back, whatever their case, spacing
        /// and order.
        #[test]
        fn headers_round_trip(
            fields in proptest::collection::vec(("[A-Za-z][A-Za-z0-9-]{0,20}", "[ -~]{0,60}"), 0..12),
            crlf in any::<bool>(),
        ) {
            let end = if crlf { "\r\n" } else { "\n" };
            let text: String = fields.iter().map(|(n, v)| format!("{n}:  {v}{end}")).collect();
            let headers = parse_headers(&text).unwrap();
            let expected: Vec<(String, String)> =
                fields.iter().map(|(n, v)| (n.clone(), v.trim().to_string())).collect();
            prop_assert_eq!(headers.0, expected);
        }

        /// Any text is headers or an error, never a panic.
        #[test]
        fn header_parsing_never_panics(text in "\\PC*|[a-zA-Z:\\- \t\r\n]{0,200}") {
            let _ = parse_headers(&text);
        }

        /// A WARC cut at any offset (in a version line, a header, a block, the blank lines
        /// between records), plain or with one gzip member per record, gives the records
        /// before the cut and then either ends or reports the damage.
        #[test]
        fn a_cut_at_any_offset_gives_the_records_before_it(
            contents in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..200), 1..5),
            cut in any::<prop::sample::Index>(),
            compressed in any::<bool>(),
        ) {
            let records: Vec<Vec<u8>> = contents.iter().map(|c| record(c)).collect();
            let file: Vec<u8> = if compressed {
                records.iter().flat_map(|r| gzip(r)).collect()
            } else {
                records.concat()
            };
            let at = cut.index(file.len() + 1);
            let (found, damaged) = blocks(Input::new(io::Cursor::new(&file[..at]), compressed));
            prop_assert!(found.len() <= contents.len());
            prop_assert_eq!(&found[..], &contents[..found.len()]);
            if at == file.len() {
                prop_assert!(!damaged);
                prop_assert_eq!(found.len(), contents.len());
            }
        }

        /// Garbage bytes never panic the reader nor the HTTP reading.
        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let mut warc = b"WARC/1.0\r\nContent-Length: 10\r\n".to_vec();
            warc.extend_from_slice(&bytes);
            let _ = blocks(&warc[..]);
            let _ = blocks(&bytes[..]);
            let _ = read_response(&bytes, u64::MAX);
            let mut http = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
            http.extend_from_slice(&bytes);
            let _ = read_response(&http, 1 << 20);
        }
    }
}
