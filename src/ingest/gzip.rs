//! Files as byte streams, decompressed on the fly when they are gzip (`.jsonl.gz`, `.warc.gz`…).
//!
//! flate2's `MultiGzDecoder` reads a file of several gzip members as one stream: WARC crawlers
//! compress each record as a member of its own, and `cat a.gz b.gz` is valid gzip too. The
//! reader counts the bytes of the file it has consumed, so that damage is reported at a byte
//! offset a person can look at with `cmp` or `xxd`.

use std::io::{self, BufRead, BufReader, Read};

use flate2::bufread::MultiGzDecoder;

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

/// A file's content as a stream: its bytes, or what they decompress to.
pub enum Input<R> {
    Plain(Counted<R>),
    Gzip(Box<BufReader<MultiGzDecoder<Counted<R>>>>),
}

impl<R: BufRead> Input<R> {
    /// Reads `reader`, decompressing it when `gzip`.
    pub fn new(reader: R, gzip: bool) -> Self {
        let counted = Counted {
            inner: reader,
            consumed: 0,
        };
        if gzip {
            Input::Gzip(Box::new(BufReader::new(MultiGzDecoder::new(counted))))
        } else {
            Input::Plain(counted)
        }
    }

    /// Bytes of the file (compressed, for gzip) consumed so far: where damage was met.
    pub fn file_offset(&self) -> u64 {
        match self {
            Input::Plain(counted) => counted.consumed(),
            Input::Gzip(decoder) => decoder.get_ref().get_ref().consumed(),
        }
    }

    /// Whether the content is decompressed.
    pub fn is_gzip(&self) -> bool {
        matches!(self, Input::Gzip(_))
    }
}

impl<R: BufRead> Read for Input<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::Plain(counted) => counted.read(buf),
            Input::Gzip(decoder) => decoder.read(buf),
        }
    }
}

impl<R: BufRead> BufRead for Input<R> {
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
    let mut input = Input::new(bytes, true);
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
    }
}
