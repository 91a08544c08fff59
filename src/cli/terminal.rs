//! What the terminal rasd writes to can show: its width, and whether it orders
//! right-to-left text itself.

use std::io::{self, IsTerminal, Write};

use rasd::output::{Layout, LineOrder, MIN_WIDTH};

use super::args::BidiWhen;

/// How messages on standard error are laid out: wrapped to a terminal's width, and one line
/// each when it is a pipe or a file, for `grep`.
pub fn stderr_layout() -> Layout {
    layout(io::stderr().is_terminal(), BidiWhen::Auto, None)
}

/// How text for a person is laid out: as `bidi` and `width` (`--bidi`, `--width`) say, or
/// as the terminal and the environment say when `terminal` (the stream written to is one).
pub fn layout(terminal: bool, bidi: BidiWhen, width: Option<usize>) -> Layout {
    let env = |name: &str| std::env::var(name).ok();
    let order = match bidi {
        BidiWhen::On => LineOrder::Visual,
        BidiWhen::Off => LineOrder::Logical,
        BidiWhen::Auto if terminal && !terminal_does_bidi(env) => LineOrder::Visual,
        BidiWhen::Auto => LineOrder::Logical,
    };
    let width = match width {
        Some(0) => None,
        Some(width) => Some(width),
        // A pipe or a file is read by programs and pagers, which have their own width.
        None if !terminal => None,
        None => env("COLUMNS")
            .and_then(|columns| columns.trim().parse().ok())
            .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
            .map(|width: usize| width.max(MIN_WIDTH)),
    };
    Layout {
        order,
        width,
        facts: false,
    }
}

/// Whether the terminal that `env` describes is known to apply the bidirectional algorithm
/// itself: VTE 0.58 and later (GNOME Terminal, Tilix, Terminator…), Konsole, mlterm and
/// macOS Terminal. Reordering for them would mirror Arabic back.
fn terminal_does_bidi(env: impl Fn(&str) -> Option<String>) -> bool {
    let vte = env("VTE_VERSION").and_then(|v| v.trim().parse::<u32>().ok());
    vte.is_some_and(|v| v >= 5800)
        || env("KONSOLE_VERSION").is_some()
        || env("MLTERM").is_some()
        || env("TERM_PROGRAM").as_deref() == Some("Apple_Terminal")
}

/// Writes through to `inner` with the colours of its ANSI styles left out and their emphasis
/// kept (bold, underline): what `NO_COLOR` on a terminal asks for, no colour, while a match in
/// a snippet stays marked. Other bytes pass as they are; a style cut between two writes is held
/// until its end arrives.
pub struct Colorless<W: Write> {
    inner: W,
    /// The start of a style the last write ended inside.
    pending: Vec<u8>,
    /// Whether a style kept since the last reset is in force: a reset after styles that were
    /// only colours, all left out, is left out too.
    styled: bool,
}

/// The longest style held back waiting for its end: rasd's own are a few bytes.
const MAX_STYLE: usize = 64;

impl<W: Write> Colorless<W> {
    pub fn new(inner: W) -> Self {
        Colorless {
            inner,
            pending: Vec::new(),
            styled: false,
        }
    }
}

impl<W: Write> Write for Colorless<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(buf);
        let mut out = Vec::with_capacity(data.len());
        let mut i = 0;
        while i < data.len() {
            if data[i] != 0x1b {
                out.push(data[i]);
                i += 1;
                continue;
            }
            // ESC [ digits and semicolons, then the final byte.
            let params_start = i + 2;
            let mut end = params_start;
            while end < data.len() && (data[end].is_ascii_digit() || data[end] == b';') {
                end += 1;
            }
            let introduced = data.get(i + 1).is_none_or(|&b| b == b'[');
            if introduced && end >= data.len() && data.len() - i <= MAX_STYLE {
                self.pending = data[i..].to_vec();
                break;
            }
            if introduced && data.get(end) == Some(&b'm') {
                let style = colorless_style(&data[params_start..end]);
                let reset = matches!(style.as_slice(), b"\x1b[m" | b"\x1b[0m");
                if !reset || self.styled {
                    out.extend(&style);
                }
                self.styled = !reset && (self.styled || !style.is_empty());
                i = end + 1;
            } else {
                out.push(data[i]);
                i += 1;
            }
        }
        self.inner.write_all(&out)
    }

    fn flush(&mut self) -> io::Result<()> {
        // A style never finished is written as it came.
        let pending = std::mem::take(&mut self.pending);
        self.inner.write_all(&pending)?;
        self.inner.flush()
    }
}

/// The style `ESC [ params m` without its colours: none at all when only colours were set.
fn colorless_style(params: &[u8]) -> Vec<u8> {
    if params.is_empty() {
        return b"\x1b[m".to_vec();
    }
    let numbers: Vec<&[u8]> = params.split(|&b| b == b';').collect();
    let mut kept: Vec<&[u8]> = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let number: u32 = std::str::from_utf8(numbers[i])
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        i += match number {
            // An extended colour: 5;n or 2;r;g;b after it.
            38 | 48 | 58 => match numbers.get(i + 1) {
                Some(&b"5") => 3,
                Some(&b"2") => 5,
                _ => 1,
            },
            30..=37 | 39 | 40..=47 | 49 | 59 | 90..=97 | 100..=107 => 1,
            _ => {
                kept.push(numbers[i]);
                1
            }
        };
    }
    if kept.is_empty() {
        return vec![];
    }
    let mut style = b"\x1b[".to_vec();
    style.extend(kept.join(&b';'));
    style.push(b'm');
    style
}

#[cfg(test)]
mod tests {
    use super::*;

    fn does_bidi(vars: &[(&str, &str)]) -> bool {
        terminal_does_bidi(|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn terminals_known_to_do_bidi() {
        assert!(does_bidi(&[("VTE_VERSION", "7600")]));
        assert!(does_bidi(&[("VTE_VERSION", "5800")]));
        assert!(!does_bidi(&[("VTE_VERSION", "5202")]));
        assert!(does_bidi(&[("KONSOLE_VERSION", "230805")]));
        assert!(does_bidi(&[("MLTERM", "3.9.3")]));
        assert!(does_bidi(&[("TERM_PROGRAM", "Apple_Terminal")]));
        assert!(!does_bidi(&[("TERM_PROGRAM", "iTerm.app")]));
        assert!(!does_bidi(&[("TERM", "xterm-256color")]));
        assert!(!does_bidi(&[]));
    }

    fn colorless(pieces: &[&[u8]]) -> Vec<u8> {
        let mut out = Colorless::new(Vec::new());
        for piece in pieces {
            out.write_all(piece).unwrap();
        }
        out.flush().unwrap();
        out.inner
    }

    #[test]
    fn colorless_keeps_emphasis_and_leaves_colours_out() {
        let red_bold = anstyle::AnsiColor::Red.on_default().bold();
        let styled = format!("a {red_bold}match{red_bold:#} b");
        assert_eq!(colorless(&[styled.as_bytes()]), b"a \x1b[1mmatch\x1b[0m b");
        // The reset of a style that was only a colour goes with it.
        let grey = anstyle::AnsiColor::BrightBlack.on_default();
        let styled = format!("{grey}2024{grey:#} {red_bold}x{red_bold:#}");
        assert_eq!(colorless(&[styled.as_bytes()]), b"2024 \x1b[1mx\x1b[0m");
        // Colours alone, extended ones too, leave nothing.
        assert_eq!(
            colorless(&[b"\x1b[90mx\x1b[38;5;200;4my\x1b[48;2;1;2;3mz"]),
            b"x\x1b[4myz"
        );
        // A style cut between two writes, and text that only looks like one.
        assert_eq!(colorless(&[b"a \x1b[3", b"1;1mb"]), b"a \x1b[1mb");
        assert_eq!(
            colorless(&[b"\x1b]0;t\x07 \x1b[2J"]),
            b"\x1b]0;t\x07 \x1b[2J"
        );
        assert_eq!(colorless(&[b"end \x1b["]), b"end \x1b[");
        assert_eq!(colorless(&["مضبوطة".as_bytes()]), "مضبوطة".as_bytes());
    }
}
