//! The operators of a query's text as a search box reads them, written so that tantivy's
//! grammar reads them the same way. The grammar needs an ASCII space after `AND`, `OR` and
//! `NOT`, knows neither `||` nor `&&`, and joins words with no operator between them to the
//! `OR` next to them: in `a AND b c OR d` the space before `c` became an `OR`, and in
//! `x a OR b y OR z` the two runs of alternatives became one. Here each run of words joined
//! by `OR` among other words is put in brackets of its own: `x (a OR b) (y OR z)`.

use std::borrow::Cow;

use crate::analysis::normalizer::half_width;
use crate::analysis::normalizer::is_invisible_mark;

/// Invisible characters that say nothing of a word at its edges: direction marks, a byte-order
/// mark, and the joiners (ZWJ, ZWNJ), which shape the letters they stand between and so mean
/// nothing before a sign or an operator. One there hid the sign: `\u{FEFF}-word` and
/// `\u{200C}NOT word` required the word.
pub(super) fn is_invisible_at_edge(c: char) -> bool {
    is_invisible_mark(c) || matches!(c, '\u{200C}' | '\u{200D}')
}

/// `text` with its operators as tantivy's grammar reads them: followed by an ASCII space
/// (`OR` at the end of a line, before a tab, was a word without one), without the
/// direction marks a query copied from right-to-left text wraps them in (`\u{200F}OR\u{200F}`
/// was a word too, and the query silently required both words) or other invisible characters
/// at a word's edges ([`is_invisible_at_edge`]), and Lucene's `||` and `&&`
/// as `OR` and `AND`, also against a bracket; full-width brackets `（ ）` as `( )`, and a
/// bracket glued to a word (`Daech(ISIS)`, as headlines write it) with a space between, which
/// the grammar needs. Quoted text is left as typed.
pub(super) fn plain_operators(text: &str) -> Cow<'_, str> {
    let operators = ["AND", "OR", "NOT", "||", "&&"];
    let maybe = text
        .contains(|c| is_invisible_at_edge(c) || ('\u{FF01}'..='\u{FF5E}').contains(&c))
        || text
            .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')'))
            .any(|word| operators.contains(&word))
        || has_glued_bracket(text);
    if !maybe {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut escaped = false;
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String, space: Option<char>| {
        // Full-width letters (`ＯＲ`, typed with an East Asian input method) as ASCII.
        let bare: String = word
            .chars()
            .filter(|&c| !is_invisible_at_edge(c))
            .map(half_width)
            .collect();
        let operator = match bare.as_str() {
            "||" => Some("OR"),
            "&&" => Some("AND"),
            op @ ("AND" | "OR" | "NOT") => Some(op),
            _ => None,
        };
        match operator {
            Some(operator) => {
                out.push_str(operator);
                out.extend(space.map(|_| ' '));
            }
            None => {
                // Marks around a word are invisible and say nothing of it, but one before a
                // sign hid the sign: `\u{200F}-word` was a required word.
                out.push_str(word.trim_matches(is_invisible_at_edge));
                out.extend(space);
            }
        }
        word.clear();
    };
    for c in text.chars() {
        if quoted {
            // A phrase's words and spaces belong to the word it is part of (`title:"a OR b"`).
            word.push(c);
            quoted = c != '"' || escaped;
            escaped = c == '\\' && !escaped;
        } else if c.is_whitespace() {
            flush(&mut word, &mut out, Some(c));
        } else if matches!(c, '(' | ')' | '（' | '）') {
            // A bracket ends a word too: `(|| a)` and `(ＯＲ a)` are `(OR a)`; a full-width one
            // groups as the ASCII one does. One that opens right after a word (`a(b)`) is
            // parted from it; a field's (`title:(a b)`) is not.
            let glued = matches!(c, '(' | '（') && word.ends_with(char::is_alphanumeric);
            flush(&mut word, &mut out, glued.then_some(' '));
            out.push(half_width(c));
        } else {
            // A word right after a closing bracket (`(a)b`) is parted from it.
            if word.is_empty() && out.ends_with(')') && c.is_alphanumeric() {
                out.push(' ');
            }
            quoted = c == '"';
            escaped = false;
            word.push(c);
        }
    }
    flush(&mut word, &mut out, None);
    out.into()
}

/// Whether a bracket of `text` opens right after a letter or digit, or one closes right before
/// one (`Daech(ISIS)`, `(a)b`), quotes aside or not: a cheap test before the pass.
fn has_glued_bracket(text: &str) -> bool {
    let mut previous = ' ';
    for c in text.chars() {
        let opens = matches!(c, '(' | '（') && previous.is_alphanumeric();
        let closed = matches!(previous, ')' | '）') && c.is_alphanumeric();
        if opens || closed {
            return true;
        }
        previous = c;
    }
    false
}

/// `text` with each run of words joined by operators put in brackets when other words stand
/// beside it, at every depth: `a AND b c OR d` is `(a AND b) (c OR d)`, `x a OR b y OR z` is
/// `x (a OR b) (y OR z)`. A run is its words and the operators between them (`AND` binds
/// closer than `OR` inside it, as in the grammar), a `NOT` going with the word after it. A word
/// repeated among alternatives is written once (`(b OR b)` is `(b)`): the grammar drops the
/// repetition itself, and with it the occurrence of the group around, which became optional.
/// Text the grammar will refuse (an unclosed quote or bracket) is left as it is, for its
/// message.
pub(super) fn grouped_runs(text: &str) -> Cow<'_, str> {
    if !text.contains("OR ") && !text.contains("AND ") {
        return text.into();
    }
    match grouped(text) {
        Some(grouped) if grouped != text => grouped.into(),
        _ => text.into(),
    }
}

/// A run of units: where it starts and ends, and its operators.
struct Run {
    start: usize,
    end: usize,
    and: bool,
    or: bool,
}

/// [`grouped_runs`] of `text`, `None` when its quotes or brackets do not close.
fn grouped(text: &str) -> Option<String> {
    let units = units(text)?;
    let mut runs: Vec<Run> = Vec::new();
    let mut i = 0;
    while i < units.len() {
        let mut run = Run {
            start: i,
            end: i,
            and: false,
            or: false,
        };
        loop {
            while i < units.len() && units[i].text == "NOT" {
                i += 1;
            }
            i += 1;
            match units.get(i).map(|u| u.text) {
                Some("AND") => run.and = true,
                Some("OR") => run.or = true,
                _ => break,
            }
            i += 1;
        }
        run.end = i.min(units.len());
        runs.push(run);
    }
    let alone = runs.len() == 1;
    let mut out = String::with_capacity(text.len() + 8);
    let mut at = 0;
    for run in runs {
        let Some(first) = units.get(run.start) else {
            break;
        };
        out.push_str(&text[at..first.start]);
        let bracket = (run.and || run.or) && !alone;
        if bracket {
            out.push('(');
        }
        // With `OR` alone, each word once: a repeated one goes with the `OR` before it.
        let run_units = &units[run.start..run.end];
        let alternatives = run.or && !run.and && run_units.iter().all(|u| u.text != "NOT");
        let mut written: Vec<&str> = Vec::new();
        for (k, unit) in run_units.iter().enumerate() {
            if alternatives {
                // Words and operators alternate: a word, then `OR` and a word.
                let word = if k % 2 == 0 {
                    Some(unit)
                } else {
                    run_units.get(k + 1)
                };
                if k > 0 && word.is_some_and(|w| written.contains(&w.text)) {
                    continue;
                }
                if k % 2 == 0 {
                    written.push(unit.text);
                }
            }
            if k > 0 {
                out.push_str(&text[run_units[k - 1].end..unit.start]);
            }
            out.push_str(&inner_grouped(unit.text)?);
        }
        if bracket {
            out.push(')');
        }
        at = units[run.end - 1].end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// A unit of text with the groups in brackets inside it grouped in turn (`title:(a b OR c)^2`).
fn inner_grouped(unit: &str) -> Option<String> {
    let Some(open) = unit
        .find('(')
        .filter(|&open| !unit[..open].contains(['"', '\'']))
    else {
        return Some(unit.to_string());
    };
    let close = closing_bracket(unit, open)?;
    let inside = grouped(&unit[open + 1..close])?;
    let rest = inner_grouped(&unit[close + 1..])?;
    Some(format!("{}({inside}){rest}", &unit[..open]))
}

/// The byte where the bracket opened at `open` closes, quotes and nested brackets aside.
fn closing_bracket(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut scan = Scan::default();
    for (at, c) in text[open..].char_indices() {
        if scan.quoted(c) {
            continue;
        }
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(open + at);
                }
            }
            _ => {}
        }
    }
    None
}

/// A word, an operator or a group of the query's top level, with its place in the text.
struct Unit<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

/// The top-level units of `text`, split at its spaces outside quotes and brackets; `None`
/// when a quote or a bracket is not closed.
fn units(text: &str) -> Option<Vec<Unit<'_>>> {
    let mut units = Vec::new();
    let mut depth = 0usize;
    let mut scan = Scan::default();
    let mut start: Option<usize> = None;
    for (at, c) in text.char_indices() {
        let quoted = scan.quoted(c);
        // `title: a` is one unit: the grammar lets a space follow a field's colon.
        let field_open = start.is_some_and(|begun| text[begun..at].trim_end().ends_with(':'));
        if !quoted && depth == 0 && c.is_whitespace() && !field_open {
            if let Some(begun) = start.take() {
                units.push(Unit {
                    text: &text[begun..at],
                    start: begun,
                    end: at,
                });
            }
            continue;
        }
        start.get_or_insert(at);
        if !quoted {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.checked_sub(1)?,
                _ => {}
            }
        }
    }
    if scan.in_quotes || depth != 0 {
        return None;
    }
    if let Some(begun) = start {
        units.push(Unit {
            text: &text[begun..],
            start: begun,
            end: text.len(),
        });
    }
    Some(units)
}

/// Where a scan of the text stands with quotes: `"…"` with `\"` inside, as the grammar reads
/// them (an apostrophe between letters is escaped before, see `escape_elisions`).
#[derive(Default)]
pub(super) struct Scan {
    in_quotes: bool,
    quote: char,
    escaped: bool,
}

impl Scan {
    /// Whether `c`, the next character, is quoted text or a quote.
    pub(super) fn quoted(&mut self, c: char) -> bool {
        if self.in_quotes {
            if c == self.quote && !self.escaped {
                self.in_quotes = false;
            }
            self.escaped = c == '\\' && !self.escaped;
            return true;
        }
        if self.escaped {
            self.escaped = false;
            return true;
        }
        match c {
            '"' | '\'' => {
                self.in_quotes = true;
                self.quote = c;
                true
            }
            '\\' => {
                self.escaped = true;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_read_after_any_space_and_without_direction_marks() {
        for (typed, read) in [
            ("a OR\nb", "a OR b"),
            ("a NOT\tb", "a NOT b"),
            ("a \u{200F}OR\u{200F} b", "a OR b"),
            ("a \u{200E}AND b", "a AND b"),
            ("a || b && c", "a OR b AND c"),
            ("a ＯＲ b", "a OR b"),
            ("a \u{200F}-b\u{200F}", "a -b"),
            ("a \u{FEFF}-b", "a -b"),
            ("\u{200C}NOT b a", "NOT b a"),
            ("\u{FEFF}（a） \u{200D}\"b c\"", "(a) \"b c\""),
            ("a\u{200C}b", "a\u{200C}b"),
            ("a b\u{200F}c", "a b\u{200F}c"),
            // Quoted, and inside a word, they are text.
            ("\"a ||\nb\" c", "\"a ||\nb\" c"),
            ("title:\"a OR\nb\"", "title:\"a OR\nb\""),
            ("\"a \\\" OR\nb\"", "\"a \\\" OR\nb\""),
            ("OR\u{200F}x ORx a||b", "OR\u{200F}x ORx a||b"),
            ("a\nb", "a\nb"),
            // Against a bracket too.
            ("(|| a)", "(OR a)"),
            ("(a && b)", "(a AND b)"),
            ("title:(ＯＲ a)", "title:(OR a)"),
            // A bracket glued to a word is parted from it, but a field's.
            ("a(b) (c)", "a (b) (c)"),
            ("Daech(ISIS)", "Daech (ISIS)"),
            ("(a)b", "(a) b"),
            ("الإرهاب（تونس）ليبيا", "الإرهاب (تونس) ليبيا"),
            ("title:(a b) -(c)", "title:(a b) -(c)"),
            ("NOT(a) x", "NOT (a) x"),
            ("\"a(b)c\" x", "\"a(b)c\" x"),
            // Full-width brackets group, outside quotes.
            ("（a OR b） c", "(a OR b) c"),
            ("title:（a ＯＲ b）", "title:(a OR b)"),
            ("\"（a）\"", "\"（a）\""),
        ] {
            assert_eq!(plain_operators(typed), read, "{typed:?}");
        }
    }

    #[test]
    fn each_run_of_alternatives_among_other_words_is_one_group() {
        for (typed, read) in [
            ("a b OR c", "a (b OR c)"),
            ("a AND b c OR d", "(a AND b) (c OR d)"),
            ("a AND b c AND d", "(a AND b) (c AND d)"),
            ("x a OR b y OR z", "x (a OR b) (y OR z)"),
            ("a OR b c OR d", "(a OR b) (c OR d)"),
            ("NOT x AND a b OR c", "(NOT x AND a) (b OR c)"),
            ("x NOT a OR b", "x (NOT a OR b)"),
            ("a OR b -c", "(a OR b) -c"),
            ("+a b OR c", "+a (b OR c)"),
            ("date:[2020 TO 2021] a OR b", "date:[2020 TO 2021] (a OR b)"),
            ("title:(a b OR c)^2 d", "title:(a (b OR c))^2 d"),
            ("(a (b c OR d))", "(a (b (c OR d)))"),
            ("\"a b OR c\" d OR e", "\"a b OR c\" (d OR e)"),
            ("a  b OR  c", "a  (b OR  c)"),
            ("title: a b OR c", "title: a (b OR c)"),
            // A repeated alternative is written once.
            ("a (b OR b)", "a (b)"),
            ("a (b OR c OR b OR  c)", "a (b OR c)"),
            ("b OR b", "b"),
            ("a AND b (c OR c)", "(a AND b) (c)"),
            // One run alone, or no operator, stays as typed.
            ("a OR b", "a OR b"),
            ("a AND NOT b", "a AND NOT b"),
            ("a AND b OR c", "a AND b OR c"),
            ("a OR NOT b", "a OR NOT b"),
            ("a b c", "a b c"),
            ("(a OR b) c", "(a OR b) c"),
            // The grammar says what is wrong with these.
            ("a \"b OR c", "a \"b OR c"),
            ("a (b OR c", "a (b OR c"),
            ("a) b OR c", "a) b OR c"),
        ] {
            assert_eq!(grouped_runs(typed), read, "{typed:?}");
        }
    }

    #[test]
    fn grouped_runs_parse_wherever_the_text_did() {
        for typed in [
            "a AND b c OR d",
            "a AND b c AND d",
            "a (b OR b) c",
            "x a OR b y OR z",
            "title:(a b OR c)^2 d",
            "OR a b",
            "a b OR",
            "a OR OR b c",
            "a NOT OR b c",
            "a OR",
            "a b OR",
            "a OR a OR",
            "NOT",
            "a NOT",
            "-a OR b c",
        ] {
            let before = tantivy::query_grammar::parse_query(typed).is_ok();
            let after = tantivy::query_grammar::parse_query(&grouped_runs(typed)).is_ok();
            assert!(!before || after, "{typed:?} -> {:?}", grouped_runs(typed));
        }
    }

    /// Queries of words, phrases, fields, ranges, operators and brackets, in any order,
    /// between spaces of any kind. (Not signs or backslashes standing alone, which the grammar
    /// reads in odd ways, `+` alone as a word: should grouping ever break such text, the
    /// search falls back on the text as the grammar reads it.)
    fn query_text() -> impl proptest::strategy::Strategy<Value = String> {
        let piece = proptest::sample::select(vec![
            "a",
            "b",
            "تهريب",
            "+a",
            "-b",
            "AND",
            "OR",
            "NOT",
            "||",
            "&&",
            "(",
            ")",
            "(a",
            "b)",
            "\"x y\"",
            "\"a OR (b\"",
            "\"x \\\" y\"",
            "title:a",
            "title:",
            "title:(a",
            "date:[2020 TO 2021]",
            "date:{2020 TO *}",
            "l'État",
            "d'arrêt",
            "a^2",
            ")^2",
            "a~",
            "ab*",
            "*",
        ]);
        let space = proptest::sample::select(vec![" ", "  ", "\n", "\t", " \u{200F}"]);
        proptest::collection::vec((piece, space), 0..24)
            .prop_map(|pieces| pieces.into_iter().map(|(p, s)| format!("{p}{s}")).collect())
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20000))]

        /// Grouping never breaks a query the grammar read, nor panics on any text.
        #[test]
        fn grouping_keeps_every_readable_query_readable(text in query_text()) {
            let plain = super::super::escape_elisions(&plain_operators(&text)).into_owned();
            let grouped = grouped_runs(&plain);
            if tantivy::query_grammar::parse_query(&plain).is_ok() {
                prop_assert!(
                    tantivy::query_grammar::parse_query(&grouped).is_ok(),
                    "{plain:?} -> {grouped:?}"
                );
            }
        }
    }
}
