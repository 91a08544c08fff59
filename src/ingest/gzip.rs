//! Files as byte streams, decompressed on the fly when they are gzip (`.jsonl.gz`, `.warc.gz`…).
//!
//! A file of several gzip members is read as one stream ([`Members`]): WARC crawlers compress
//! each record as a member of its own, and `cat a.gz b.gz` is valid gzip too. The reader counts
//! the bytes of the file it has consumed, so that damage is reported at a byte offset a person
//! can look at with `cmp` or `xxd`. A web archive is read past damage: a damaged member, or
//! bytes between members that start none, are passed over to the next member's header, so
//! that one bad stretch of a crawl does not cost every record after it.

use std::io::{self, BufRead, BufReader, Read, Seek};

use flate2::bufread::GzDecoder;

/// A buffered reader that counts the bytes consumed from it.
pub struct Counted<R> {
    inner: R,
    consumed: u64,
}

impl<R> Counted<R> {
    /// Bytes consumed so far.
    pub fn consumed(&self) -> u64 {
        self.consumed
    }
}

impl<R: Seek> Counted<R> {
    /// Goes to byte `offset` of the file.
    fn seek_to(&mut self, offset: u64) -> io::Result<()> {
        self.inner.seek(io::SeekFrom::Start(offset))?;
        self.consumed = offset;
        Ok(())
    }
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.inner.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.inner.consume(amount);
        self.consumed += amount as u64;
    }
}

/// The first bytes of a gzip member: its magic number and the deflate method, the only one.
const MEMBER_START: [u8; 3] = [0x1f, 0x8b, 0x08];

/// A stretch of a gzip file passed over to the next member.
#[derive(Debug)]
pub struct Skip {
    /// Where it begins: the damaged member's start, or the end of the last whole member.
    pub from: u64,
    /// Where the next member starts.
    pub to: u64,
    /// The stream's output that came from the stretch: a damaged member's, from its first
    /// byte, to where the next member's output starts (none from bytes between members).
    pub output: std::ops::Range<u64>,
    /// What was wrong with the member at `from`; `None` for bytes between members that start
    /// none.
    pub error: Option<io::Error>,
}

impl Skip {
    /// What was passed over, in words.
    pub fn describe(&self) -> String {
        let what = match &self.error {
            Some(error) if error.kind() == io::ErrorKind::UnexpectedEof => {
                format!("gzip member at byte {} cut short", self.from)
            }
            Some(error) => format!("gzip member at byte {} damaged ({error})", self.from),
            None => {
                let count = self.to - self.from;
                let (noun, verb) = if count == 1 {
                    ("byte", "starts")
                } else {
                    ("bytes", "start")
                };
                format!("{count} {noun} at byte {} {verb} no gzip member", self.from)
            }
        };
        format!(
            "{what}; skipped to the next gzip member at byte {}",
            self.to
        )
    }
}

/// The error a resyncing [`Members`] gives once after it passed over damage, before the next
/// member's bytes: the reader of the stream drops what it was reading (the damaged member's
/// output, which the next member's does not continue) and starts afresh.
#[derive(Debug)]
pub struct Resynced;

impl std::fmt::Display for Resynced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("damaged gzip data passed over to the next member")
    }
}

impl std::error::Error for Resynced {}

/// The error of bytes after a whole member that start no other: to the end, or (read without
/// resyncing) to the next member.
#[derive(Debug)]
pub struct NoMember {
    /// How many.
    pub bytes: u64,
}

impl std::fmt::Display for NoMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("bytes that start no gzip member")
    }
}

impl std::error::Error for NoMember {}

/// `error` as [`NoMember`], if it is one.
pub fn no_member(error: &io::Error) -> Option<&NoMember> {
    error.get_ref()?.downcast_ref::<NoMember>()
}

/// Whether `error` is [`Resynced`].
pub fn is_resynced(error: &io::Error) -> bool {
    error.get_ref().is_some_and(|e| e.is::<Resynced>())
}

/// How many members' output starts [`Members`] remembers. Each read gives the output of one
/// member, so what a reader has buffered and not yet consumed is that of the member being
/// read; the members before it are remembered for a line that spans the last few.
const RECENT_MEMBERS: usize = 8;

/// The gzip members of a file, one after the other, as one stream; zero bytes after the last
/// member are padding, as `gzip -d` reads them. Without `resync` it stops at the first damage,
/// with its error. With it, a damaged member, or bytes that start no member, are passed over to
/// the next member's header ([`MEMBER_START`], searched from the damaged member's start: a
/// decoder reading damage may have consumed the members after it), noted as one [`Skip`]
/// however many false starts it holds, and told once ([`Resynced`]); damage with no member after
/// it (a file cut short) still ends the stream with its error.
pub struct Members<R> {
    /// The member being read; `None` once the stream has ended.
    member: Option<GzDecoder<Counted<R>>>,
    /// Where the member being read starts.
    start: u64,
    /// Bytes of output given so far, and where the member being read began to give them.
    produced: u64,
    output_start: u64,
    /// Where the output of the last [`RECENT_MEMBERS`] members began, the latest last: a
    /// reader of the stream, behind it by what it buffered, asks whether a record began one.
    recent_starts: std::collections::VecDeque<u64>,
    /// Bytes of the file consumed when the stream ended.
    end: u64,
    resync: bool,
    /// The stretches passed over and closed (a whole member read after them, or the end),
    /// not yet taken ([`Input::take_skips`]).
    skips: Vec<Skip>,
    /// The stretch being passed over: false starts until a whole member are one stretch.
    open: Option<Skip>,
    /// Whether a skip is yet to be told ([`Resynced`]).
    untold: bool,
    /// The next member's first bytes, read before [`Resynced`] was given.
    held: Vec<u8>,
}

impl<R: BufRead + Seek> Members<R> {
    fn new(file: Counted<R>, resync: bool) -> Self {
        Members {
            start: file.consumed(),
            produced: 0,
            output_start: 0,
            recent_starts: [0].into(),
            member: Some(GzDecoder::new(file)),
            end: 0,
            resync,
            skips: Vec::new(),
            open: None,
            untold: false,
            held: Vec::new(),
        }
    }

    /// Bytes of the file consumed so far.
    fn consumed(&self) -> u64 {
        self.member
            .as_ref()
            .map_or(self.end, |m| m.get_ref().consumed())
    }

    /// Reads the member that starts where `file` is.
    fn next_member(&mut self, file: Counted<R>) {
        self.start = file.consumed();
        self.output_start = self.produced;
        if self.recent_starts.len() == RECENT_MEMBERS {
            self.recent_starts.pop_front();
        }
        self.recent_starts.push_back(self.produced);
        self.member = Some(GzDecoder::new(file));
    }

    /// Ends the stream with `error`.
    fn fail(&mut self, error: io::Error) -> io::Error {
        self.close();
        error
    }

    /// Notes the stretch `from..to` passed over, or adds it to the open one when no whole
    /// member came in between (a run of false starts, each a member that fails).
    fn skipped(&mut self, from: u64, to: u64, error: Option<io::Error>) {
        // A damaged member's output is damaged from its start; bytes between members give none.
        let output_from = match error {
            Some(_) => self.output_start,
            None => self.produced,
        };
        match &mut self.open {
            Some(open) => {
                open.to = to;
                open.output.end = self.produced;
            }
            None => {
                self.open = Some(Skip {
                    from,
                    to,
                    output: output_from..self.produced,
                    error,
                })
            }
        }
        self.untold = true;
    }

    /// Closes the stretch being passed over: a whole member was read, or the stream ended.
    fn close(&mut self) {
        self.skips.extend(self.open.take());
    }

    /// After the member that ended at `at` with `error` (`None`: whole), the next member to
    /// read, or the stream's end (`Ok(false)`), or its error, any of them reported at `at`
    /// unless a next member is read.
    fn after_member(
        &mut self,
        mut file: Counted<R>,
        at: u64,
        error: Option<io::Error>,
    ) -> io::Result<bool> {
        self.end = at;
        if let Some(error) = error {
            if !self.resync {
                return Err(self.fail(error));
            }
            file.seek_to(self.start + 1)?;
            if !skip_to_member(&mut file)?.found {
                // No member after it: the stretch being passed over (bytes that started no
                // member, then this false start) runs to the end, one damage told by the
                // error that ends the stream, named from where the stretch began.
                if let Some(open) = self.open.take() {
                    self.start = open.from;
                    self.untold = false;
                }
                return Err(self.fail(error));
            }
            let to = file.consumed();
            self.skipped(self.start, to, Some(error));
            self.next_member(file);
            return Ok(true);
        }
        // A whole member: what was passed over before it is one stretch.
        self.close();
        let next = file.fill_buf()?;
        if next.is_empty() {
            return Ok(false);
        }
        // A start the buffer's end splits is taken as one: the member's header says.
        if MEMBER_START.starts_with(&next[..next.len().min(MEMBER_START.len())]) {
            self.next_member(file);
            return Ok(true);
        }
        let scan = skip_to_member(&mut file)?;
        if !scan.found && scan.only_zeros {
            return Ok(false);
        }
        if !scan.found || !self.resync {
            // Where a member was due: named as the damaged one.
            self.start = at;
            let bytes = file.consumed() - at;
            return Err(self.fail(io::Error::new(
                io::ErrorKind::InvalidData,
                NoMember { bytes },
            )));
        }
        let to = file.consumed();
        self.skipped(at, to, None);
        self.next_member(file);
        Ok(true)
    }
}

/// What [`skip_to_member`] found.
struct Scan {
    /// A member's start, where the file now is; else the file is at its end.
    found: bool,
    /// Whether every byte passed over was zero.
    only_zeros: bool,
}

/// Consumes `file` up to the next [`MEMBER_START`]. A start split by the end of the reader's
/// buffer is missed (the reader cannot look further without consuming it): the next one is
/// found instead.
fn skip_to_member<R: BufRead>(file: &mut Counted<R>) -> io::Result<Scan> {
    let mut only_zeros = true;
    loop {
        let buffer = file.fill_buf()?;
        if buffer.is_empty() {
            return Ok(Scan {
                found: false,
                only_zeros,
            });
        }
        let found = buffer
            .windows(MEMBER_START.len())
            .position(|w| w == MEMBER_START);
        let passed = match found {
            Some(at) => at,
            None => buffer.len().saturating_sub(MEMBER_START.len() - 1).max(1),
        };
        only_zeros &= buffer[..passed].iter().all(|&b| b == 0);
        file.consume(passed);
        if found.is_some() {
            return Ok(Scan {
                found: true,
                only_zeros,
            });
        }
    }
}

impl<R: BufRead + Seek> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if !self.held.is_empty() {
                let n = self.held.len().min(buf.len());
                buf[..n].copy_from_slice(&self.held[..n]);
                self.held.drain(..n);
                self.produced += n as u64;
                return Ok(n);
            }
            let Some(member) = self.member.as_mut() else {
                return Ok(0);
            };
            let error = match member.read(buf) {
                Ok(0) if !buf.is_empty() => None,
                Ok(n) => {
                    if std::mem::take(&mut self.untold) {
                        self.held.extend_from_slice(&buf[..n]);
                        return Err(io::Error::other(Resynced));
                    }
                    self.produced += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => Some(e),
            };
            let file = self.member.take().expect("read above").into_inner();
            let at = file.consumed();
            if !self.after_member(file, at, error)? && std::mem::take(&mut self.untold) {
                // Passed over damage to the end: the reader drops what it was reading.
                return Err(io::Error::other(Resynced));
            }
        }
    }
}

/// A file's content as a stream: its bytes, or what they decompress to.
pub enum Input<R> {
    Plain(Counted<R>),
    Gzip(Box<BufReader<Members<R>>>),
}

impl<R: BufRead + Seek> Input<R> {
    /// Reads `reader`, decompressing it when `gzip`; damage ends the stream.
    pub fn new(reader: R, gzip: bool) -> Self {
        Self::open(reader, gzip, false)
    }

    /// Reads `reader`, decompressing it when `gzip`, past damaged members (see [`Members`]);
    /// [`Input::take_skips`] says what was passed over.
    pub fn resyncing(reader: R, gzip: bool) -> Self {
        Self::open(reader, gzip, true)
    }

    fn open(reader: R, gzip: bool, resync: bool) -> Self {
        let counted = Counted {
            inner: reader,
            consumed: 0,
        };
        if gzip {
            Input::Gzip(Box::new(BufReader::new(Members::new(counted, resync))))
        } else {
            Input::Plain(counted)
        }
    }

    /// Bytes of the file (compressed, for gzip) consumed so far: where damage was met.
    pub fn file_offset(&self) -> u64 {
        match self {
            Input::Plain(counted) => counted.consumed(),
            Input::Gzip(decoder) => decoder.get_ref().consumed(),
        }
    }

    /// The stretches of the file passed over since the last call, in order.
    pub fn take_skips(&mut self) -> Vec<Skip> {
        match self {
            Input::Plain(_) => Vec::new(),
            Input::Gzip(decoder) => std::mem::take(&mut decoder.get_mut().skips),
        }
    }

    /// Where the output of the gzip member being read (or last read) began: what the stream
    /// gave from there on is that member's. 0 for a plain file.
    pub fn member_output_start(&self) -> u64 {
        match self {
            Input::Plain(_) => 0,
            Input::Gzip(decoder) => decoder.get_ref().output_start,
        }
    }

    /// Whether the output of one of the last members read began at byte `offset` of the
    /// stream; `None` for a plain file, which has no members.
    pub fn starts_member_output(&self, offset: u64) -> Option<bool> {
        match self {
            Input::Plain(_) => None,
            Input::Gzip(decoder) => Some(decoder.get_ref().recent_starts.contains(&offset)),
        }
    }

    /// Where the gzip member being read (or last read) starts in the file; 0 for a plain
    /// file.
    pub fn member_start(&self) -> u64 {
        match self {
            Input::Plain(_) => 0,
            Input::Gzip(decoder) => decoder.get_ref().start,
        }
    }

    /// The stretch being passed over, not yet taken ([`Input::take_skips`] takes it once a
    /// whole member is read after it).
    pub fn open_skip(&self) -> Option<&Skip> {
        match self {
            Input::Plain(_) => None,
            Input::Gzip(decoder) => decoder.get_ref().open.as_ref(),
        }
    }

    /// Whether the content is decompressed.
    pub fn is_gzip(&self) -> bool {
        matches!(self, Input::Gzip(_))
    }
}

impl<R: BufRead + Seek> Read for Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Plain(counted) => counted.read(buf),
            Input::Gzip(decoder) => decoder.read(buf),
        }
    }
}

impl<R: BufRead + Seek> BufRead for Input<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        match self {
            Input::Plain(counted) => counted.fill_buf(),
            Input::Gzip(decoder) => decoder.fill_buf(),
        }
    }

    fn consume(&mut self, amount: usize) {
        match self {
            Input::Plain(counted) => counted.consume(amount),
            Input::Gzip(decoder) => decoder.consume(amount),
        }
    }
}

/// What decompressing a whole file gave.
#[derive(Debug)]
pub enum Decompressed {
    /// All of it.
    Complete(Vec<u8>),
    /// More than the limit: nothing is kept (a gzip bomb, or a dump to raise the limit for).
    TooLarge,
    /// The bytes before the damage, and where and why decompression stopped.
    Damaged {
        bytes: Vec<u8>,
        offset: u64,
        error: io::Error,
    },
}

/// Decompresses gzip `bytes` (one member or several), keeping at most `limit` bytes.
pub fn decompress(bytes: &[u8], limit: u64) -> Decompressed {
    let mut input = Input::new(io::Cursor::new(bytes), true);
    let mut out = Vec::new();
    let result = (&mut input).take(limit + 1).read_to_end(&mut out);
    match result {
        Ok(_) if out.len() as u64 > limit => Decompressed::TooLarge,
        Ok(_) => Decompressed::Complete(out),
        Err(error) => Decompressed::Damaged {
            bytes: out,
            offset: input.file_offset(),
            error,
        },
    }
}

/// A decompression error in words: flate2's "unexpected end of file" means the file was cut.
pub fn damage(offset: u64, error: &io::Error) -> String {
    if error.kind() == io::ErrorKind::UnexpectedEof {
        format!("gzip data cut short at byte {offset} (truncated file)")
    } else {
        format!("gzip data damaged at byte {offset}: {error}")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use flate2::Compression;
    use flate2::write::GzEncoder;

    use super::*;

    /// `bytes` as one gzip member.
    pub(crate) fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn several_members_are_one_stream() {
        let both = [gzip(b"first\n"), gzip(b"second\n")].concat();
        match decompress(&both, 1_000) {
            Decompressed::Complete(bytes) => assert_eq!(bytes, b"first\nsecond\n"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn more_than_the_limit_is_too_large() {
        let zeros = gzip(&vec![b'0'; 10_000]);
        assert!(matches!(decompress(&zeros, 9_999), Decompressed::TooLarge));
        assert!(matches!(
            decompress(&zeros, 10_000),
            Decompressed::Complete(_)
        ));
    }

    #[test]
    fn a_cut_file_keeps_what_came_before_and_says_where() {
        let text: Vec<u8> = (0..20_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let whole = [gzip(&text[..70_000]), gzip(&text[70_000..])].concat();
        let first_member = gzip(&text[..70_000]).len();
        let cut = &whole[..first_member + 40];
        match decompress(cut, u64::MAX - 1) {
            Decompressed::Damaged {
                bytes,
                offset,
                error,
            } => {
                assert!(bytes.len() >= 70_000, "{}", bytes.len());
                assert!(text.starts_with(&bytes));
                assert_eq!(offset, cut.len() as u64);
                assert!(damage(offset, &error).contains("cut short"), "{error}");
            }
            other => panic!("{other:?}"),
        }
    }

    /// Everything the gzip `file` gives, read to its end or its error, [`Resynced`] aside; what
    /// was passed over; how many times [`Resynced`] was given.
    pub(crate) fn read_all(
        file: &[u8],
        resync: bool,
    ) -> (Vec<u8>, Option<io::Error>, Vec<Skip>, usize) {
        let mut input = Input::open(io::Cursor::new(file), true, resync);
        let (mut out, mut told) = (Vec::new(), 0);
        let mut buf = [0; 4096];
        let error = loop {
            match input.read(&mut buf) {
                Ok(0) => break None,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) if is_resynced(&e) => told += 1,
                Err(e) => break Some(e),
            }
        };
        (out, error, input.take_skips(), told)
    }

    #[test]
    fn bytes_between_members_are_passed_over_when_resyncing() {
        let first = gzip(b"first\n");
        let junk = b"\0\0 junk \x1f";
        let file = [first.clone(), junk.to_vec(), gzip(b"second\n")].concat();
        let (bytes, error, skips, told) = read_all(&file, true);
        assert_eq!(bytes, b"first\nsecond\n");
        assert!(error.is_none(), "{error:?}");
        assert_eq!((skips.len(), told), (1, 1));
        assert_eq!(
            (skips[0].from, skips[0].to),
            (first.len() as u64, (first.len() + junk.len()) as u64)
        );
        assert!(
            skips[0].describe()
                == format!(
                    "9 bytes at byte {} start no gzip member; skipped to the next gzip member at \
                     byte {}",
                    first.len(),
                    first.len() + junk.len()
                ),
            "{}",
            skips[0].describe()
        );
        // Read whole, the same file stops there, with an error at that byte.
        let (bytes, error, skips, _) = read_all(&file, false);
        assert_eq!(bytes, b"first\n");
        assert!(error.is_some() && skips.is_empty());
        // Zeros after the last member are padding, as gzip -d reads them.
        let padded = [first.clone(), vec![0; 100]].concat();
        let (bytes, error, skips, _) = read_all(&padded, false);
        assert_eq!(
            (bytes.as_slice(), error.is_none(), skips.len()),
            (&b"first\n"[..], true, 0)
        );
    }

    #[test]
    fn a_damaged_member_is_passed_over_to_the_next_when_resyncing() {
        let text: Vec<u8> = (0..3_000)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect();
        let (one, two, three) = (gzip(b"first\n"), gzip(&text), gzip(b"third\n"));
        let mut file = [one.clone(), two.clone(), three].concat();
        // Bytes in the middle of the second member's deflate data.
        for b in &mut file[one.len() + 20..one.len() + 60] {
            *b ^= 0x5a;
        }
        let (bytes, error, skips, told) = read_all(&file, true);
        assert!(error.is_none(), "{error:?}");
        assert_eq!(told, 1);
        assert!(
            bytes.starts_with(b"first\n") && bytes.ends_with(b"third\n"),
            "{}",
            bytes.len()
        );
        assert_eq!(skips.len(), 1);
        assert_eq!(
            (skips[0].from, skips[0].to),
            (one.len() as u64, (one.len() + two.len()) as u64)
        );
        assert!(
            skips[0]
                .describe()
                .starts_with(&format!("gzip member at byte {} damaged (", one.len())),
            "{}",
            skips[0].describe()
        );
        // A file cut short has no member after the damage: the stream ends with the error.
        let cut = &file[..one.len() + two.len() / 2];
        let (bytes, error, _, _) = read_all(cut, true);
        assert!(bytes.starts_with(b"first\n"));
        assert!(error.is_some());
    }

    #[test]
    fn bytes_that_are_not_gzip_are_damaged_at_byte_zero() {
        match decompress(b"plain text, not gzip", 1_000) {
            Decompressed::Damaged { bytes, offset, .. } => {
                assert!(bytes.is_empty());
                assert!(offset <= 20);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::tests::gzip;
    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A gzip file cut anywhere (in the header, in the deflate data, in the trailer,
        /// between members) never panics, and what it gives is a prefix of the content.
        #[test]
        fn a_cut_at_any_offset_gives_a_prefix(
            parts in proptest::collection::vec("[a-z \n]{0,300}", 1..4),
            cut in any::<prop::sample::Index>(),
        ) {
            let content: String = parts.concat();
            let file: Vec<u8> = parts.iter().flat_map(|p| gzip(p.as_bytes())).collect();
            let at = cut.index(file.len() + 1);
            match decompress(&file[..at], u64::MAX - 1) {
                Decompressed::Complete(bytes) => prop_assert!(content.as_bytes().starts_with(&bytes)),
                Decompressed::Damaged { bytes, offset, .. } => {
                    prop_assert!(content.as_bytes().starts_with(&bytes));
                    prop_assert!(offset <= at as u64);
                }
                Decompressed::TooLarge => prop_assert!(false, "no limit was set"),
            }
        }

        /// Bytes that hold no member start, put between any two members, cost nothing when
        /// resyncing: every member is read, and each stretch is noted once.
        #[test]
        fn junk_between_members_loses_no_member(
            parts in proptest::collection::vec("[a-z \n]{1,300}", 2..5),
            junk in proptest::collection::vec(
                proptest::collection::vec(any::<u8>().prop_filter("no 0x1f", |b| *b != 0x1f), 0..50),
                2..5,
            ),
        ) {
            let mut file = Vec::new();
            let mut stretches = 0;
            for (i, part) in parts.iter().enumerate() {
                if i > 0 && !junk[i % junk.len()].is_empty() {
                    file.extend_from_slice(&junk[i % junk.len()]);
                    stretches += 1;
                }
                file.extend(gzip(part.as_bytes()));
            }
            let (out, error, skips, told) = super::tests::read_all(&file, true);
            prop_assert!(error.is_none());
            prop_assert_eq!(out, parts.concat().into_bytes());
            prop_assert_eq!(skips.len(), stretches);
            prop_assert_eq!(told, stretches);
        }

        /// Resyncing through arbitrary bytes after a member never panics nor loops, and starts
        /// with the member's content.
        #[test]
        fn resyncing_through_any_bytes_ends(
            part in "[a-z \n]{1,300}",
            rest in proptest::collection::vec(any::<u8>(), 0..2_000),
        ) {
            let file = [gzip(part.as_bytes()), rest].concat();
            let (out, _, skips, told) = super::tests::read_all(&file, true);
            prop_assert!(out.starts_with(part.as_bytes()));
            prop_assert!(told >= skips.len());
        }
    }
}
