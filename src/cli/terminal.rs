//! What the terminal rasd writes to can show: its width, and whether it orders
//! right-to-left text itself.

use rasd::output::{Layout, LineOrder, MIN_WIDTH};

use super::args::BidiWhen;

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
}
